"""Reads of the development pipeline (发展党员), each starting from ``visible_to``.

Pipeline data are party work: the pages call ``sees_party_member_names`` first; the scope rule
(accounts/scope.py) limits them to the developing organization's subtree and street, and a
person's own record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.core.models import AuditEvent
from dangjian.membership import rules
from dangjian.membership.models import DevelopmentRecord, DevelopmentStep
from dangjian.membership.services import DEVELOPING_KINDS, candidate_of, rules_for_many
from dangjian.organizations.models import Organization
from dangjian.people.models import Person

Stage = DevelopmentRecord.Stage
Kind = DevelopmentStep.Kind
REMINDER_RULE = "development-reminder-days-ahead"


def visible_records(user):
    return visible_to(user, DevelopmentRecord.objects.all())


def record_list(user, *, text: str = "", stage: str = "", organization_id=None, include_closed: bool = True):
    records = visible_records(user).select_related("person", "organization")
    if text:
        records = records.filter(person__name__icontains=text)
    if stage:
        records = records.filter(stage=stage)
    elif not include_closed:
        records = records.filter(stage__in=DevelopmentRecord.OPEN_STAGES)
    if organization_id:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            return records.none()
        records = records.filter(organization__path__startswith=organization.path)
    return records.order_by("organization__path", "stage", "stage_since", "pk")


def record_detail(user, pk: int) -> DevelopmentRecord:
    return get_object_or_404(visible_records(user).select_related("person", "organization"), pk=pk)


def steps_of(user, record: DevelopmentRecord):
    people = Person.objects.only("pk", "name").order_by("name", "pk")
    return (
        visible_to(user, DevelopmentStep.objects.filter(record=record))
        .select_related("recorded_by", "overridden_by")
        .prefetch_related(Prefetch("people", queryset=people))
        .order_by("on", "pk")
    )


def record_timeline(user, record: DevelopmentRecord, *, limit: int = 80):
    """The audit events of the record and of its steps, newest first, as the user may see them."""
    step_ids = visible_to(user, DevelopmentStep.objects.filter(record=record)).values("pk")
    events = AuditEvent.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(DevelopmentRecord), object_id=record.pk)
        | Q(content_type=ContentType.objects.get_for_model(DevelopmentStep), object_id__in=step_ids)
    )
    return visible_to(user, events).select_related("actor", "content_type")[:limit]


def developing_organizations(user):
    """Visible organizations that develop members (for filters and the application form)."""
    return (
        visible_to(user, Organization.objects.filter(kind__in=DEVELOPING_KINDS))
        .exclude(status=Organization.Status.DISSOLVED)
        .order_by("path")
    )


def visible_organization(user, pk: int) -> Organization:
    return get_object_or_404(visible_to(user, Organization.objects.all()), pk=pk)


def full_members_of(user, organization: Organization):
    """Full party members belonging to the organization: who may be named contact or introducer.

    Read through the organization's visibility: members of an organization the user answers for."""
    visible = visible_to(user, Organization.objects.filter(pk=organization.pk))
    return Person.objects.filter(
        party_organization__in=visible, political_status=Person.PoliticalStatus.FULL_MEMBER
    ).order_by("name", "pk")


# --- the board: who is at which stage, for how long -------------------------------------------------


BOARD_STAGES = (
    Stage.APPLICANT,
    Stage.ACTIVIST,
    Stage.DEVELOPMENT_TARGET,
    Stage.PROBATIONARY_MEMBER,
    Stage.FULL_MEMBER,
)


@dataclass
class BoardColumn:
    stage: str
    label: str
    records: list


def board(
    user, organization: Organization, *, today: datetime.date | None = None, full_member_days: int = 365
):
    """The organization's subtree's records by stage, longest in the stage first; full members
    only if they became full members within ``full_member_days``. Each record gets ``days``
    (days in the stage)."""
    today = today or timezone.localdate()
    records = (
        visible_records(user)
        .filter(organization__path__startswith=organization.path, stage__in=BOARD_STAGES)
        .exclude(stage=Stage.FULL_MEMBER, stage_since__lt=today - datetime.timedelta(days=full_member_days))
        .select_related("person", "organization")
        .order_by("stage_since", "pk")
    )
    columns = {stage: BoardColumn(stage, Stage(stage).label, []) for stage in BOARD_STAGES}
    for record in records:
        record.days = (today - record.stage_since).days
        columns[record.stage].records.append(record)
    return list(columns.values())


def stage_counts(user, *, organization: Organization | None = None) -> dict[str, int]:
    """{stage: number of records} among the visible records (of an organization's subtree)."""
    records = visible_records(user)
    if organization is not None:
        records = records.filter(organization__path__startswith=organization.path)
    rows = records.values("stage").annotate(n=Count("pk")).order_by()
    counts = {stage: 0 for stage in Stage.values}
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


# --- what is due ----------------------------------------------------------------------------------


def reminder_days_ahead() -> int:
    from dangjian.core.rules import rule_value

    return rule_value(REMINDER_RULE) or 0  # switched off: only what is due already


@dataclass
class TodoRow:
    record: DevelopmentRecord
    item: rules.DueItem

    @property
    def days_overdue(self) -> int:
        return max((timezone.localdate() - self.item.due_on).days, 0)


# The stages where something falls due.
_DUE_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.PROBATIONARY_MEMBER)


def due_for(records, *, today: datetime.date, days_ahead: int) -> list[TodoRow]:
    """Due and overdue steps of ``records`` (a queryset already scoped), soonest first."""
    records = list(
        records.filter(stage__in=_DUE_STAGES)
        .select_related("person", "organization", "organization__street")
        .prefetch_related(
            Prefetch("steps", queryset=DevelopmentStep.objects.only("record", "kind", "on", "months"))
        )
    )
    by_organization = rules_for_many({r.organization_id: r.organization for r in records}.values())
    rows = []
    for record in records:
        facts = rules.Candidate(
            person_pk=record.person_id,
            stage=record.stage,
            stage_since=record.stage_since,
            birth_date=None,
            steps=tuple(rules.PastStep(s.kind, s.on, s.months) for s in record.steps.all()),
        )
        for item in rules.due_items(
            facts, by_organization[record.organization_id], today=today, days_ahead=days_ahead
        ):
            rows.append(TodoRow(record, item))
    rows.sort(key=lambda row: (row.item.due_on, row.record.organization.path, row.record.pk))
    return rows


def todo(
    user,
    *,
    today: datetime.date | None = None,
    organization_id=None,
    what: str = "",
    overdue_only: bool = False,
) -> list[TodoRow]:
    """The user's to-do list: steps due within the reminder period or overdue, in the records
    the user may see (a secretary's branch, a street's organizations, the whole district)."""
    today = today or timezone.localdate()
    records = visible_records(user)
    if organization_id:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            return []
        records = records.filter(organization__path__startswith=organization.path)
    rows = due_for(records, today=today, days_ahead=reminder_days_ahead())
    if what:
        rows = [row for row in rows if row.item.what == what]
    if overdue_only:
        rows = [row for row in rows if row.item.overdue]
    return rows


def due_of(user, record: DevelopmentRecord, *, today: datetime.date | None = None) -> list[rules.DueItem]:
    """What is due on one record (its sheet), whatever the reminder period: the next date of each kind."""
    today = today or timezone.localdate()
    if record.stage not in _DUE_STAGES:
        return []
    facts = candidate_of(record)
    specs = rules_for_many([record.organization])[record.organization_id]
    return rules.due_items(facts, specs, today=today, days_ahead=36500)


# --- the development record sheet (.xlsx) -------------------------------------------------------


def sheet_rows(steps):
    """Rows for ``pipeline_sheets.STEP_SHEET`` from ``steps_of``."""
    for step in steps:
        details = []
        if step.days:
            details.append(f"{step.days}天")
        if step.hours:
            details.append(f"{step.hours}学时")
        if step.months:
            details.append(f"{step.months}个月")
        names = "、".join(p.name for p in step.people.all())
        yield {
            "kind": step.kind,
            "on": step.on,
            "details": "；".join(details),
            "people": names,
            "notes": step.notes,
            "recorded_by": str(step.recorded_by) if step.recorded_by else "",
            "override": "；".join(item.get("message", "") for item in step.overridden_rules)
            + (f"（{step.override_reason}）" if step.override_reason else ""),
        }
