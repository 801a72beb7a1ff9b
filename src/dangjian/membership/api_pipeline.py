"""The API of the development pipeline (measure 5): the same query functions as the pages, so the
same scope; party-work roles only, and a person's own record."""

import datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from dangjian.accounts.scope import scope_of, sees_party_member_names
from dangjian.membership import queries

router = Router(tags=["development"])


class StepOut(Schema):
    id: int
    kind: str
    on: datetime.date
    hours: int | None
    days: int | None
    months: int | None
    people: list[str]
    notes: str
    overridden_rules: list[dict]
    override_reason: str

    @staticmethod
    def resolve_people(step) -> list[str]:
        return [p.name for p in step.people.all()]


class RecordOut(Schema):
    id: int
    person_name: str
    organization_id: int
    organization_name: str
    stage: str
    stage_since: datetime.date
    applied_on: datetime.date

    @staticmethod
    def resolve_person_name(record) -> str:
        return record.person.name

    @staticmethod
    def resolve_organization_name(record) -> str:
        return record.organization.name


class RecordDetailOut(RecordOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(record) -> list:
        return record.visible_steps


class DueOut(Schema):
    record_id: int
    person_name: str
    organization_id: int
    what: str
    due_on: datetime.date
    since: datetime.date
    overdue: bool


def _party_work(request):
    if not sees_party_member_names(request.user):
        raise HttpError(403, "Pipeline data are for party-work roles.")


@router.get("/", response=list[RecordOut])
@paginate(LimitOffsetPagination)
def list_records(request, stage: str = "", text: str = "", organization_id: int | None = None):
    _party_work(request)
    return queries.record_list(request.user, stage=stage, text=text, organization_id=organization_id)


@router.get("/todo", response=list[DueOut])
def todo(request, what: str = "", overdue_only: bool = False):
    _party_work(request)
    return [
        DueOut(
            record_id=row.record.pk,
            person_name=row.record.person.name,
            organization_id=row.record.organization_id,
            what=row.item.what,
            due_on=row.item.due_on,
            since=row.item.since,
            overdue=row.item.overdue,
        )
        for row in queries.todo(request.user, what=what, overdue_only=overdue_only)
    ]


@router.get("/{int:developmentrecord_pk}", response=RecordDetailOut)
def get_record(request, developmentrecord_pk: int):
    record = queries.record_detail(request.user, developmentrecord_pk)
    if not (sees_party_member_names(request.user) or record.person_id in scope_of(request.user).person_ids):
        raise HttpError(403, "Pipeline data are for party-work roles.")
    # The steps as the user may see them (the schema reads them from the record).
    record.visible_steps = list(queries.steps_of(request.user, record))
    return record
