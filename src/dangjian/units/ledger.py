"""The five-clears ledger (五个清台账) of one unit, now or as it stood on a past date; the street's
ledger table; and who may see members' names or edit which part.

Reads only. The current ledger reads the live tables; the ledger "as of" a day reads the
simple-history tables as they were recorded by the end of that day: for every object, its latest
history row before the cutoff, unless that row records a deletion. A registration typed in later
with an earlier start date is therefore not in the ledger of that day, because the ledger did not
hold it then.

Every part carries its own "last updated / by whom" (``Stamp``), read from the history tables
(``history_user`` is set from the request by simple-history's middleware, and by the ledger's
services). A page of the ledger costs a bounded number of queries whatever the unit's size.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.accounts.scope import scope_of, sees_party_member_names, visible_to
from dangjian.core.choices import JobType
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment, Investor, Person
from dangjian.units.models import InstructorAssignment, Unit, WorkforceReport

# Units that count as the outlets of a head company or branch.
OUTLET_KINDS = (Unit.Kind.OUTLET, Unit.Kind.CHAIN_STORE, Unit.Kind.FRANCHISE_STORE)
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
OPERATIONS_FIELDS = ("operating_status", "business_scope", "reported_outlet_count", "platforms")
_MAX_TREE_DEPTH = 12  # far deeper than any head-company tree; stops a corrupt parent cycle


class Part:
    OPERATIONS = "operations"
    WORKFORCE = "workforce"
    MEMBERS = "members"
    INVESTORS = "investors"
    ORGANIZATION = "organization"


# --- who may see and do what ---------------------------------------------------------------


def may_edit_ledger(user, unit: Unit, part: str) -> bool:
    """Who may edit a part of a unit's ledger: the district; street/town staff for the units of
    their streets; industry committee staff for the units of the industries their committee
    leads; and the enterprise liaison for the operations, workforce figures and investors of
    their own unit (and its branches and outlets). The party-organization part (instructors) is
    the party bodies' business, not the enterprise's."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if unit.street_id is not None and unit.street_id in scope.street_ids:
        return True
    if unit.industry in scope.industries:
        return True
    if part in (Part.OPERATIONS, Part.WORKFORCE, Part.INVESTORS):
        return any(unit.path.startswith(path) for path in scope.unit_paths)
    return False


def editable_parts(user, unit: Unit) -> set[str]:
    parts = (Part.OPERATIONS, Part.WORKFORCE, Part.INVESTORS, Part.ORGANIZATION)
    return {part for part in parts if may_edit_ledger(user, unit, part)}


# --- the ledger's shape ----------------------------------------------------------------------


@dataclass
class Stamp:
    """When a part last changed and who changed it (``by`` is filled in once per page)."""

    at: datetime.datetime | None = None
    user_id: int | None = None
    by: str = ""

    @staticmethod
    def latest(*stamps: Stamp) -> Stamp:
        dated = [s for s in stamps if s.at is not None]
        return max(dated, key=lambda s: s.at) if dated else Stamp()


@dataclass
class Operations:
    status: str
    status_label: str
    business_scope: str
    reported_outlets: int | None
    registered_outlets: int
    platforms: list[str]
    updated: Stamp


@dataclass
class WorkforceRow:
    job_type: str
    label: str
    full_time: int = 0
    part_time: int = 0
    reported_full_time: int | None = None
    reported_part_time: int | None = None
    reported_on: datetime.date | None = None

    @property
    def total(self) -> int:
        return self.full_time + self.part_time

    @property
    def reported_total(self) -> int | None:
        if self.reported_full_time is None:
            return None
        return self.reported_full_time + (self.reported_part_time or 0)


@dataclass
class Workforce:
    rows: list[WorkforceRow]
    headcount: int  # distinct people: one person in two jobs at the unit counts once
    updated: Stamp

    @property
    def full_time(self) -> int:
        return sum(row.full_time for row in self.rows)

    @property
    def part_time(self) -> int:
        return sum(row.part_time for row in self.rows)


@dataclass
class PartyMembers:
    full: int
    probationary: int
    # [(name, status label)] for party-work roles; None when the viewer may see counts only.
    names: list[tuple[str, str]] | None
    updated: Stamp

    @property
    def total(self) -> int:
        return self.full + self.probationary


@dataclass
class InvestorRow:
    pk: int
    name: str
    role: str
    role_label: str
    share_percent: Decimal | None
    political_status_label: str
    representative_roles: str


@dataclass
class Investors:
    rows: list[InvestorRow]
    updated: Stamp


@dataclass
class CoveringOrganization:
    pk: int
    name: str
    kind_label: str
    build_method_label: str
    status: str
    status_label: str


@dataclass
class InstructorRow:
    pk: int
    name: str
    dispatched_by: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass
class PartyOrganization:
    organizations: list[CoveringOrganization]
    instructors: list[InstructorRow]
    updated: Stamp

    @property
    def covered(self) -> bool:
        return any(o.status != Organization.Status.DISSOLVED for o in self.organizations)


@dataclass
class FiveClears:
    unit: Unit
    as_of: datetime.date | None  # None: the ledger today, from the live tables
    existed: bool  # False when the unit was not yet registered on the as-of day
    history_missing: bool = False  # the unit's history does not start with its registration
    history_since: datetime.date | None = None  # the day its history starts, if any
    operations: Operations | None = None
    workforce: Workforce | None = None
    members: PartyMembers | None = None
    investors: Investors | None = None
    organization: PartyOrganization | None = None
    stamps: list[Stamp] = field(default_factory=list)


# --- reading a table as it was recorded ------------------------------------------------------


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the district's time zone: the as-of cutoff."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def as_recorded(history_model, cutoff: datetime.datetime, **filters):
    """The rows of a history table as they stood at ``cutoff``: for each object its latest
    history row before the cutoff, left out when that row records a deletion.

    ``filters`` apply to that latest row, so a row that later moved elsewhere (another unit, say)
    counts where it was at the cutoff.
    """
    latest = (
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history_model.objects.filter(history_date__lt=cutoff, **filters)
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def _latest_change(queryset) -> Stamp:
    row = queryset.order_by("-history_date", "-history_id").values("history_date", "history_user_id").first()
    return Stamp(row["history_date"], row["history_user_id"]) if row else Stamp()


def _active_on(day: datetime.date) -> Q:
    """An employment or assignment running on ``day``: the end date is the first day off."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


class _Source:
    """Where the ledger reads from: the live tables, or the history tables at a cutoff."""

    def __init__(self, user, as_of: datetime.date | None):
        self.user = user
        self.as_of = as_of
        self.day = as_of or timezone.localdate()
        self.cutoff = end_of_day(as_of) if as_of else None
        self.history = as_of is not None

    def rows(self, model, **filters):
        if self.history:
            return as_recorded(model.history.model, self.cutoff, **filters)
        return visible_to(self.user, model.objects.filter(**filters))

    def changes(self, model, **filters):
        """History rows of ``model`` up to the cutoff (all of them for the live ledger)."""
        rows = model.history.model.objects.filter(**filters)
        return rows.filter(history_date__lt=self.cutoff) if self.history else rows

    def people(self, ids):
        """Persons by id with name and political status as they stood (no personal numbers)."""
        if self.history:
            rows = as_recorded(Person.history.model, self.cutoff, id__in=ids)
        else:
            rows = Person.objects.filter(id__in=ids)
        return rows


# --- the five parts ----------------------------------------------------------------------------


def five_clears(unit: Unit, user, as_of: datetime.date | None = None) -> FiveClears:
    """The unit's five-clears ledger as ``user`` may see it, today or as of the end of a past day.

    The caller has already checked that the user may see ``unit`` (``queries.unit_detail``).
    """
    source = _Source(user, as_of)
    if source.history:
        state = as_recorded(Unit.history.model, source.cutoff, id=unit.pk).first()
        if state is None:
            # Not registered yet on that day, or registered without history (e.g. bulk-loaded
            # demo data, whose history starts with a later change): then the past is unknown.
            first = (
                Unit.history.model.objects.filter(id=unit.pk)
                .order_by("history_date", "history_id")
                .values("history_type", "history_date")
                .first()
            )
            missing = first is None or first["history_type"] != "+"
            return FiveClears(
                unit=unit,
                as_of=as_of,
                existed=False,
                history_missing=missing,
                history_since=timezone.localdate(first["history_date"]) if first else None,
            )
    else:
        state = unit
    ledger = FiveClears(
        unit=unit,
        as_of=as_of,
        existed=True,
        operations=_operations(source, unit, state),
        workforce=_workforce(source, unit),
        members=_members(source, unit),
        investors=_investors(source, unit),
        organization=_party_organization(source, unit),
    )
    stamps = [
        ledger.operations.updated,
        ledger.workforce.updated,
        ledger.members.updated,
        ledger.investors.updated,
        ledger.organization.updated,
    ]
    _name_users(stamps)
    ledger.stamps = stamps
    return ledger


def split_platforms(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，、;；\n]+", text or "") if p.strip()]


def _operations(source: _Source, unit: Unit, state) -> Operations:
    if source.history:
        outlet_ids = _outlets_as_recorded(source, unit.pk)
        registered = (
            visible_to(source.user, Unit.objects.filter(id__in=outlet_ids)).count() if outlet_ids else 0
        )
    else:
        registered = (
            visible_to(source.user, Unit.objects.filter(path__startswith=unit.path, kind__in=OUTLET_KINDS))
            .exclude(pk=unit.pk)
            .count()
        )
    return Operations(
        status=state.operating_status,
        status_label=str(Unit.OperatingStatus(state.operating_status).label),
        business_scope=state.business_scope,
        reported_outlets=state.reported_outlet_count,
        registered_outlets=registered,
        platforms=split_platforms(state.platforms),
        updated=Stamp(state.operations_updated_at, state.operations_updated_by_id),
    )


def _outlets_as_recorded(source: _Source, root_id: int) -> list[int]:
    """Outlet-kind units below ``root_id`` in the head-company tree as it was recorded at the
    cutoff: one query per level of the tree (the history keeps parents, not paths)."""
    history = Unit.history.model
    frontier, seen, outlets = [root_id], {root_id}, []
    for _level in range(_MAX_TREE_DEPTH):
        candidates = history.objects.filter(parent_id__in=frontier, history_date__lt=source.cutoff).values(
            "id"
        )
        children = as_recorded(history, source.cutoff, id__in=candidates, parent_id__in=frontier).values_list(
            "id", "kind"
        )
        frontier = []
        for pk, kind in children:
            if pk in seen:
                continue
            seen.add(pk)
            frontier.append(pk)
            if kind in OUTLET_KINDS:
                outlets.append(pk)
        if not frontier:
            break
    return outlets


def _workforce(source: _Source, unit: Unit) -> Workforce:
    employments = source.rows(Employment, unit_id=unit.pk).filter(_active_on(source.day))
    # Derived from registrations, in SQL: one grouped query, and one for distinct people.
    counts = (
        employments.order_by().values("job_type", "full_time").annotate(n=Count("person_id", distinct=True))
    )
    headcount = employments.order_by().aggregate(n=Count("person_id", distinct=True))["n"]
    rows = {job: WorkforceRow(job_type=job, label=str(label)) for job, label in JobType.choices}
    for row in counts:
        target = rows.setdefault(row["job_type"], WorkforceRow(row["job_type"], row["job_type"]))
        if row["full_time"]:
            target.full_time = row["n"]
        else:
            target.part_time = row["n"]

    # The unit's own figures: the latest report per job type (reported on or before the day and
    # recorded by its end); reports are append-only, so history is the table itself.
    reports = WorkforceReport.objects.filter(unit_id=unit.pk, reported_on__lte=source.day)
    if source.history:
        reports = reports.filter(recorded_at__lt=source.cutoff)
    latest = reports.filter(job_type=OuterRef("job_type")).order_by("-reported_on", "-id").values("id")[:1]
    for report in reports.filter(id=Subquery(latest)):
        target = rows.setdefault(report.job_type, WorkforceRow(report.job_type, report.job_type))
        target.reported_full_time = report.full_time
        target.reported_part_time = report.part_time
        target.reported_on = report.reported_on

    last_report = reports.order_by("-recorded_at", "-id").values("recorded_at", "recorded_by_id").first()
    report_stamp = (
        Stamp(last_report["recorded_at"], last_report["recorded_by_id"]) if last_report else Stamp()
    )
    updated = Stamp.latest(_latest_change(source.changes(Employment, unit_id=unit.pk)), report_stamp)
    shown = [r for r in rows.values() if r.total or r.reported_full_time is not None]
    return Workforce(rows=shown, headcount=headcount, updated=updated)


def _worker_ids(source: _Source, unit: Unit):
    return source.rows(Employment, unit_id=unit.pk).filter(_active_on(source.day)).values("person_id")


def _members(source: _Source, unit: Unit) -> PartyMembers:
    workers = _worker_ids(source, unit)
    counts = dict(
        source.people(workers)
        .filter(political_status__in=MEMBER_STATUSES)
        .order_by()
        .values_list("political_status")
        .annotate(n=Count("id", distinct=True))
    )
    names = None
    if sees_party_member_names(source.user):
        members = source.people(workers).filter(political_status__in=MEMBER_STATUSES).order_by("name", "id")
        names = [
            (name, str(Person.PoliticalStatus(status).label))
            for name, status in members.values_list("name", "political_status")
        ]
    return PartyMembers(
        full=counts.get(Person.PoliticalStatus.FULL_MEMBER, 0),
        probationary=counts.get(Person.PoliticalStatus.PROBATIONARY_MEMBER, 0),
        names=names,
        updated=_members_updated(source, unit, workers),
    )


def _members_updated(source: _Source, unit: Unit, workers) -> Stamp:
    """The last change to who the unit's party members are: a worker's political status turning
    member or ceasing to be one, or a member joining or leaving the unit."""
    history = Person.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("political_status")[:1]
    )
    becomes = Q(political_status__in=MEMBER_STATUSES) & (
        Q(previous__isnull=True) | ~Q(previous__in=MEMBER_STATUSES)
    )
    ceases = ~Q(political_status__in=MEMBER_STATUSES) & Q(previous__in=MEMBER_STATUSES)
    status_changes = (
        source.changes(Person, id__in=workers).annotate(previous=Subquery(previous)).filter(becomes | ceases)
    )
    ever_employed = source.changes(Employment, unit_id=unit.pk).values("person_id")
    if source.history:
        member_ids = as_recorded(
            history, source.cutoff, id__in=ever_employed, political_status__in=MEMBER_STATUSES
        ).values("id")
    else:
        member_ids = Person.objects.filter(id__in=ever_employed, political_status__in=MEMBER_STATUSES).values(
            "id"
        )
    moves = source.changes(Employment, unit_id=unit.pk, person_id__in=member_ids)
    return Stamp.latest(_latest_change(status_changes), _latest_change(moves))


def _investors(source: _Source, unit: Unit) -> Investors:
    rows = list(
        source.rows(Investor, unit_id=unit.pk)
        .order_by("role", "id")
        .values("id", "person_id", "role", "share_percent", "representative_roles")
    )
    people = {
        row["id"]: row
        for row in source.people([r["person_id"] for r in rows]).values("id", "name", "political_status")
    }
    result = []
    for row in rows:
        person = people.get(
            row["person_id"], {"name": "", "political_status": Person.PoliticalStatus.UNDISCLOSED}
        )
        result.append(
            InvestorRow(
                pk=row["id"],
                name=person["name"],
                role=row["role"],
                role_label=str(Investor.Role(row["role"]).label),
                share_percent=row["share_percent"],
                political_status_label=str(Person.PoliticalStatus(person["political_status"]).label),
                representative_roles=row["representative_roles"],
            )
        )
    return Investors(rows=result, updated=_latest_change(source.changes(Investor, unit_id=unit.pk)))


def _covering_organizations(source: _Source, unit: Unit) -> list[CoveringOrganization]:
    visible = visible_to(source.user, Organization.objects.all()).values("pk")
    if source.history:
        covered = Organization.history.model.covered_units.model
        history = Organization.history.model
        latest = (
            history.objects.filter(id=OuterRef("history__id"), history_date__lt=source.cutoff)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = (
            covered.objects.filter(unit_id=unit.pk, history__history_date__lt=source.cutoff)
            .filter(history_id=Subquery(latest), organization_id__in=visible)
            .exclude(history__history_type="-")
            .order_by("history__name", "organization_id")
            .values(
                pk=F("history__id"),
                name=F("history__name"),
                kind=F("history__kind"),
                build_method=F("history__build_method"),
                status=F("history__status"),
            )
        )
    else:
        rows = (
            Organization.objects.filter(covered_units=unit, pk__in=visible)
            .order_by("path")
            .values("pk", "name", "kind", "build_method", "status")
        )
    return [
        CoveringOrganization(
            pk=row["pk"],
            name=row["name"],
            kind_label=str(Organization.Kind(row["kind"]).label),
            build_method_label=str(Organization.BuildMethod(row["build_method"]).label)
            if row["build_method"]
            else "",
            status=row["status"],
            status_label=str(Organization.Status(row["status"]).label),
        )
        for row in rows
    ]


def _party_organization(source: _Source, unit: Unit) -> PartyOrganization:
    organizations = _covering_organizations(source, unit)
    assignments = list(
        source.rows(InstructorAssignment, unit_id=unit.pk)
        .filter(_active_on(source.day))
        .order_by("-start_date", "id")
        .values("id", "instructor_id", "dispatched_by_id", "start_date", "end_date")
    )
    names = dict(
        Person.objects.filter(id__in=[a["instructor_id"] for a in assignments]).values_list("id", "name")
    )
    dispatchers = dict(
        Organization.objects.filter(
            id__in=[a["dispatched_by_id"] for a in assignments if a["dispatched_by_id"]]
        ).values_list("id", "name")
    )
    instructors = [
        InstructorRow(
            pk=a["id"],
            name=names.get(a["instructor_id"], ""),
            dispatched_by=dispatchers.get(a["dispatched_by_id"], ""),
            start_date=a["start_date"],
            end_date=a["end_date"],
        )
        for a in assignments
    ]
    # Changes to the organizations that cover, or ever covered, the unit (the history keeps each
    # organization's covered units with every row), and to its instructor assignments.
    covered = Organization.history.model.covered_units.model
    ever_covering = covered.objects.filter(unit_id=unit.pk).values("organization_id")
    visible = visible_to(source.user, Organization.objects.all()).values("pk")
    organization_changes = source.changes(Organization, id__in=ever_covering).filter(id__in=visible)
    updated = Stamp.latest(
        _latest_change(organization_changes),
        _latest_change(source.changes(InstructorAssignment, unit_id=unit.pk)),
    )
    return PartyOrganization(organizations=organizations, instructors=instructors, updated=updated)


def _name_users(stamps: list[Stamp]) -> None:
    """Fill in who made each change, with one query for the whole ledger."""
    from dangjian.accounts.models import User

    ids = {s.user_id for s in stamps if s.user_id}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)} if ids else {}
    for stamp in stamps:
        stamp.by = users.get(stamp.user_id, "")


# --- the street's ledger table -----------------------------------------------------------------


def _count(queryset, group: str, counted: str = "id", distinct: bool = False):
    """A correlated COUNT as an annotation: ``queryset`` already filtered on OuterRef('pk')."""
    counted_rows = queryset.order_by().values(group).annotate(n=Count(counted, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted_rows, output_field=IntegerField()), Value(0))


def _latest(history_model, **filters):
    rows = history_model.objects.filter(**filters).order_by("-history_date").values("history_date")[:1]
    return Subquery(rows, output_field=DateTimeField())


def ledger_table(
    user,
    *,
    text: str = "",
    street_id=None,
    industry: str = "",
    operating_status: str = "",
    has_organization: str = "",
    today: datetime.date | None = None,
):
    """The units the user may see, one row each with the five parts summarized, all in SQL
    (correlated subqueries, no query per row)."""
    today = today or timezone.localdate()
    units = visible_to(user, Unit.objects.all()).select_related("street")
    if text:
        units = units.filter(Q(name__icontains=text) | Q(uscc__iexact=text))
    if street_id:
        units = units.filter(street_id=street_id)
    if industry:
        units = units.filter(industry=industry)
    if operating_status:
        units = units.filter(operating_status=operating_status)

    working = Employment.objects.filter(_active_on(today), unit_id=OuterRef("pk"))
    organizations = visible_to(user, Organization.objects.exclude(status=Organization.Status.DISSOLVED))
    covering = Organization.covered_units.through.objects.filter(
        unit_id=OuterRef("pk"), organization__in=organizations
    )
    first_organization = covering.order_by("organization__path").values("organization__name")[:1]
    instructors = InstructorAssignment.objects.filter(_active_on(today), unit_id=OuterRef("pk"))
    units = units.annotate(
        headcount=_count(working, "unit_id", "person_id", distinct=True),
        full_members=_count(
            working.filter(person__political_status=Person.PoliticalStatus.FULL_MEMBER),
            "unit_id",
            "person_id",
            distinct=True,
        ),
        probationary_members=_count(
            working.filter(person__political_status=Person.PoliticalStatus.PROBATIONARY_MEMBER),
            "unit_id",
            "person_id",
            distinct=True,
        ),
        investor_count=_count(Investor.objects.filter(unit_id=OuterRef("pk")), "unit_id"),
        organization_count=_count(covering, "unit_id"),
        organization_name=Subquery(first_organization),
        instructor_name=Subquery(instructors.order_by("-start_date", "-id").values("instructor__name")[:1]),
        workforce_changed=_latest(Employment.history.model, unit_id=OuterRef("pk")),
        report_changed=Subquery(
            WorkforceReport.objects.filter(unit_id=OuterRef("pk"))
            .order_by("-recorded_at")
            .values("recorded_at")[:1],
            output_field=DateTimeField(),
        ),
        investors_changed=_latest(Investor.history.model, unit_id=OuterRef("pk")),
        instructors_changed=_latest(InstructorAssignment.history.model, unit_id=OuterRef("pk")),
    )
    if has_organization == "yes":
        units = units.filter(Exists(covering))
    elif has_organization == "no":
        units = units.exclude(Exists(covering))
    return units.order_by("street__path", "path")


def last_updated(row) -> datetime.datetime | None:
    """The latest change to any part of a ledger-table row (from its annotations)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
    moments = [
        get("operations_updated_at"),
        get("workforce_changed"),
        get("report_changed"),
        get("investors_changed"),
        get("instructors_changed"),
    ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


# --- the unit page's timeline --------------------------------------------------------------------


def ledger_timeline(user, unit: Unit, *, before: datetime.datetime | None = None, limit: int = 50):
    """The audit events of the unit and of its ledger records (investors, reported headcounts,
    instructor assignments), newest first, as the user may see them; up to ``before`` when the
    ledger is shown as of a past day. Events of a ledger record carry ``record_label``."""
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditEvent

    records = [
        (Investor, Investor.objects.filter(unit=unit).values("pk")),
        (WorkforceReport, WorkforceReport.objects.filter(unit=unit).values("pk")),
        (InstructorAssignment, InstructorAssignment.objects.filter(unit=unit).values("pk")),
    ]
    condition = Q(content_type=ContentType.objects.get_for_model(Unit), object_id=unit.pk)
    labels = {}
    for model, ids in records:
        content_type = ContentType.objects.get_for_model(model)
        labels[content_type.pk] = str(model._meta.verbose_name)
        condition |= Q(content_type=content_type, object_id__in=ids)
    events = visible_to(user, AuditEvent.objects.filter(condition)).select_related("actor")
    if before is not None:
        events = events.filter(at__lt=before)
    events = list(events[:limit])
    for event in events:
        if event.content_type_id in labels:
            event.record_label = f"{labels[event.content_type_id]}: {event.object_repr}"
    return events
