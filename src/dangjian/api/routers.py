"""One router per app; every route reads through the apps' query functions (and so the scope)."""

from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from dangjian.api.schemas import OrganizationOut, PersonOut, UnitOut
from dangjian.organizations import queries as organization_queries
from dangjian.people import queries as people_queries
from dangjian.units import queries as unit_queries

units = Router(tags=["units"])
organizations = Router(tags=["organizations"])
people = Router(tags=["people"])


@units.get("/", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(request, text: str = "", industry: str = "", key_area: str = "", street_id: int | None = None):
    return unit_queries.unit_list(
        request.user, text=text, industry=industry, key_area=key_area, street_id=street_id
    )


@units.get("/{int:unit_pk}", response=UnitOut)
def get_unit(request, unit_pk: int):
    return unit_queries.unit_detail(request.user, unit_pk)


@organizations.get("/", response=list[OrganizationOut])
@paginate(LimitOffsetPagination)
def list_organizations(request, kind: str = "", status: str = "", text: str = ""):
    return organization_queries.organization_list(request.user, kind=kind, status=status, text=text)


@organizations.get("/{int:organization_pk}", response=OrganizationOut)
def get_organization(request, organization_pk: int):
    return organization_queries.organization_detail(request.user, organization_pk)


@people.get("/{int:person_pk}", response=PersonOut)
def get_person(request, person_pk: int):
    return people_queries.person_detail(request.user, person_pk)
