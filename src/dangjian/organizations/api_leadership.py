"""The API of the secretaries-and-leadership part (measure 5): the same query functions as the
pages, so the same scope."""

import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dangjian.organizations import leadership_queries as queries
from dangjian.units.queries import unit_detail

router = Router(tags=["leadership"])


class FindingOut(Schema):
    code: str
    severity: str
    message: str


class LeadershipOut(Schema):
    id: int
    name: str
    kind: str
    street_id: int | None
    full_members: int
    seats: int
    term_end: datetime.date | None
    reelection_on: datetime.date | None
    findings: list[FindingOut]


class ManagementPostOut(Schema):
    id: int
    person_name: str
    kind: str
    title: str
    start_date: datetime.date
    end_date: datetime.date | None
    party_posts: list[str]

    @staticmethod
    def resolve_person_name(post) -> str:
        return post.person.name

    @staticmethod
    def resolve_title(post) -> str:
        return post.display_title

    @staticmethod
    def resolve_party_posts(post) -> list[str]:
        return [f"{m.organization.name} {m.get_post_display()}" for m in getattr(post, "party_posts", [])]


class DecisionOut(Schema):
    id: int
    organization_id: int
    decided_on: datetime.date
    matter: str
    opinion: str
    outcome: str
    outcome_note: str


@router.get("/", response=list[LeadershipOut])
@paginate(LimitOffsetPagination)
def leadership(request, street_id: int | None = None, kind: str = "", severity: str = "", code: str = ""):
    """Organizations whose leading group is out of rule or needs checking."""
    return queries.leadership_list(request.user, street_id=street_id, kind=kind, severity=severity, code=code)


@router.get("/units/{int:unit_pk}/management-posts", response=list[ManagementPostOut])
def management_posts(request, unit_pk: int):
    """The unit's current management posts, each with the holder's party posts in covering organizations."""
    current, _past = queries.unit_management_posts(request.user, unit_detail(request.user, unit_pk))
    return current


@router.get("/units/{int:unit_pk}/decisions", response=list[DecisionOut])
def decisions(request, unit_pk: int):
    """The unit's decision log, newest first (party-work roles only)."""
    return queries.unit_decisions(request.user, unit_detail(request.user, unit_pk))
