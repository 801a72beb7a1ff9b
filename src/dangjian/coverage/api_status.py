"""The coverage API (measure 4): each unit's computed coverage, one unit's status with its gaps
and next step, and the campaign's progress; all through the same query functions as the pages
(and so the user's scope)."""

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dangjian.coverage import progress as progress_queries
from dangjian.coverage import queries
from dangjian.coverage.rules import CoverageStatus
from dangjian.units.queries import unit_detail

router = Router(tags=["coverage"])


class UnitCoverageOut(Schema):
    id: int
    name: str
    street_id: int | None
    industry: str
    key_area: str
    full_members: int
    members: int
    activists: int
    coverage_status: str
    org_preparing: bool
    has_own_organization: bool
    gaps: list[str]

    @staticmethod
    def resolve_gaps(obj) -> list[str]:
        if isinstance(obj, dict):
            return obj["gaps"]
        return [gap.value for gap in queries.gap_list(obj)]


class PartnerOut(Schema):
    unit_id: int
    name: str
    full_members: int
    distance_m: int


class UnitCoverageDetailOut(UnitCoverageOut):
    next_step: str
    organizations: list[str]
    partners: list[PartnerOut]


class GroupOut(Schema):
    key: str | int | None
    label: str
    units: int
    org_covered: int
    org_preparing: int
    work_covered: int
    not_covered: int
    org_rate: float | None
    work_rate: float | None


class MonthOut(Schema):
    month: str
    units: int | None
    org_rate: float | None
    work_rate: float | None


class ProgressOut(Schema):
    dimension: str
    groups: list[GroupOut]
    total: GroupOut
    months: list[MonthOut]


def _unit(row) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "street_id": row.street_id,
        "industry": row.industry,
        "key_area": row.key_area,
        "full_members": row.full_members,
        "members": row.members,
        "activists": row.activists,
        "coverage_status": row.coverage_status,
        "org_preparing": row.org_preparing,
        "has_own_organization": row.has_own_organization,
        "gaps": [gap.value for gap in queries.gap_list(row)],
    }


@router.get("/units", response=list[UnitCoverageOut])
@paginate(LimitOffsetPagination)
def list_coverage(
    request,
    text: str = "",
    street_id: int | None = None,
    industry: str = "",
    key_area: str = "",
    status: str = "",
    gap: str = "",
):
    if status and status not in (*CoverageStatus.values, queries.PREPARING):
        status = ""
    units = queries.coverage_list(
        request.user,
        text=text,
        street_id=street_id,
        industry=industry,
        key_area=key_area,
        status=status,
        gap=gap,
    )
    return queries.CoverageRows(units)  # sliced by the paginator: one page of rows is computed


@router.get("/units/{int:unit_pk}", response=UnitCoverageDetailOut)
def get_coverage(request, unit_pk: int):
    coverage = queries.unit_coverage(request.user, unit_detail(request.user, unit_pk))
    if coverage is None:
        raise Http404
    return {
        **_unit(coverage.unit),
        "gaps": [gap.value for gap in coverage.gaps],
        "next_step": coverage.step.value,
        "organizations": [org.name for org in coverage.organizations],
        "partners": [
            {
                "unit_id": p.unit.pk,
                "name": p.unit.name,
                "full_members": p.full_members,
                "distance_m": p.distance_m,
            }
            for p in coverage.partners
        ],
    }


def _group(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        **{
            name: row.counts[name]
            for name in ("units", "org_covered", "org_preparing", "work_covered", "not_covered")
        },
        "org_rate": row.org_rate,
        "work_rate": row.work_rate,
    }


@router.get("/progress", response=ProgressOut)
def get_progress(request, dimension: str = "street"):
    if dimension not in progress_queries.DIMENSIONS:
        dimension = "street"
    result = progress_queries.progress(request.user, dimension=dimension)
    months = [
        {
            "month": month,
            "units": counts["units"] if counts else None,
            "org_rate": org_rate,
            "work_rate": work_rate,
        }
        for month, org_rate, work_rate, counts in progress_queries.month_table(result)
    ]
    return {
        "dimension": dimension,
        "groups": [_group(row) for row in result.rows],
        "total": _group(result.total),
        "months": months[::-1],
    }
