"""Coverage reads: every unit's coverage status, computed in SQL from the data.

``annotate_coverage`` is the one place the status is computed for querysets; ``rules.py`` holds the
same rules as pure functions, and the tests check that the two agree.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.coverage.rules import (
    Candidate,
    CoverageStatus,
    Gap,
    NextStep,
    Thresholds,
    UnitFacts,
    distance_m,
    gaps,
    next_step,
    pick_joint_partners,
    thresholds,
)
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment, Person
from dangjian.units.models import InstructorAssignment, Unit

# Primary organizations cover units; leading bodies and party groups do not (see rules.py).
COVERING_KINDS = (
    Organization.Kind.COMMITTEE,
    Organization.Kind.GENERAL_BRANCH,
    Organization.Kind.BRANCH,
)
COVERING_STATUSES = (Organization.Status.ACTIVE, Organization.Status.PREPARING)
# Built for several units: not the unit's own organization.
SHARED_BUILD_METHODS = (Organization.BuildMethod.JOINT, Organization.BuildMethod.REGIONAL)
# Closed and deregistered units are out of the campaign (lists, rates, snapshots, map).
CLOSED_STATUSES = (Unit.OperatingStatus.CLOSED, Unit.OperatingStatus.DEREGISTERED)
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
# The pipeline an incubated build grows from (membership.DevelopmentRecord stages).
PIPELINE_STAGES = ("activist", "development_target")


def _active_on(day: datetime.date) -> Q:
    """An employment or assignment running on ``day``: the end date is the first day off."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


class _CountDistinct(Func):
    """``COUNT(DISTINCT x)`` as a plain function: in a subquery without GROUP BY it yields one row
    (0 when nothing matches), which SQLite plans about twice as fast as a grouped count."""

    function = "COUNT"
    template = "COUNT(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count_people(employments) -> Subquery:
    """Distinct people among ``employments`` (already filtered on OuterRef('pk')), as an int."""
    return Subquery(
        employments.order_by().annotate(n=_CountDistinct("person_id")).values("n")[:1],
        output_field=IntegerField(),
    )


def covering_links(*, on: datetime.date, unit=None):
    """Links (organization, unit) of the organizations covering ``unit`` (default
    ``OuterRef('pk')``, for a subquery) on ``on``: primary organizations, active (founded by
    then, if the founding date is known) or being prepared."""
    through = Organization.covered_units.through
    return through.objects.filter(
        unit_id=OuterRef("pk") if unit is None else unit,
        organization__kind__in=COVERING_KINDS,
        organization__status__in=COVERING_STATUSES,
    ).exclude(organization__status=Organization.Status.ACTIVE, organization__founded_on__gt=on)


def joint_branches_over(max_units: int):
    """Ids of the joint branches (not dissolved) covering more than ``max_units`` units."""
    through = Organization.covered_units.through
    return (
        through.objects.filter(organization__build_method=Organization.BuildMethod.JOINT)
        .exclude(organization__status=Organization.Status.DISSOLVED)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("unit_id"))
        .filter(n__gt=max_units)
        .values("organization_id")
    )


def annotate_coverage(
    units: QuerySet[Unit], *, on: datetime.date | None = None, limits: Thresholds | None = None
) -> QuerySet[Unit]:
    """Annotate each unit with its coverage on ``on`` (default today), in SQL.

    - ``full_members`` / ``members`` (int): people employed there that day whose political
      status is full member / full or probationary member;
    - ``activists`` (int): people employed there that day who are activists or development
      targets in the development pipeline (``membership.DevelopmentRecord``);
    - ``has_own_organization`` (bool): a covering organization not built jointly or by region;
    - ``org_covered`` (bool): a primary organization, active or being prepared, lists the unit;
    - ``org_preparing`` (bool): covered, but only by organizations still being prepared;
    - ``has_instructor`` (bool): an instructor assignment runs that day;
    - ``work_covered`` (bool): an instructor, and no organization;
    - ``coverage_status`` (str, ``CoverageStatus``): "organizational", "work" or "none";
    - gaps (bool): ``gap_should_build_own``, ``gap_term_expired``, ``gap_joint_over_max``,
      ``gap_members_without_organization`` (see ``rules.gaps``).

    Organizations are read as they are now (status, units), except that an active one founded
    after ``on`` does not count yet; employments, instructor assignments and terms are read on
    ``on``. The queryset is not scoped here: pass one that is (``visible_to``). ``limits``
    defaults to the rule table's current values.
    """
    on = on or timezone.localdate()
    limits = limits or thresholds()
    from dangjian.membership.models import DevelopmentRecord

    working = Employment.objects.filter(_active_on(on), unit_id=OuterRef("pk"))
    in_pipeline = DevelopmentRecord.objects.filter(stage__in=PIPELINE_STAGES, stage_since__lte=on).values(
        "person_id"
    )
    covering = covering_links(on=on)
    instructors = InstructorAssignment.objects.filter(_active_on(on), unit_id=OuterRef("pk"))

    org_covered = Exists(covering)
    has_instructor = Exists(instructors)
    units = units.annotate(
        full_members=_count_people(
            working.filter(person__political_status=Person.PoliticalStatus.FULL_MEMBER)
        ),
        members=_count_people(working.filter(person__political_status__in=MEMBER_STATUSES)),
        activists=_count_people(working.filter(person_id__in=in_pipeline)),
        has_own_organization=Exists(covering.exclude(organization__build_method__in=SHARED_BUILD_METHODS)),
        org_covered=org_covered,
        org_preparing=ExpressionWrapper(
            org_covered & ~Exists(covering.filter(organization__status=Organization.Status.ACTIVE)),
            output_field=BooleanField(),
        ),
        has_instructor=has_instructor,
        work_covered=ExpressionWrapper(~org_covered & has_instructor, output_field=BooleanField()),
        coverage_status=Case(
            When(org_covered, then=Value(CoverageStatus.ORGANIZATIONAL.value)),
            When(has_instructor, then=Value(CoverageStatus.WORK.value)),
            default=Value(CoverageStatus.NONE.value),
            output_field=CharField(),
        ),
        gap_term_expired=Exists(
            covering.filter(organization__status=Organization.Status.ACTIVE, organization__term_end__lt=on)
        ),
        gap_joint_over_max=(
            Exists(covering.filter(organization_id__in=joint_branches_over(limits.max_units)))
            if limits.max_units is not None
            else Value(False, output_field=BooleanField())
        ),
    )
    should_build_own = (
        Q(full_members__gte=limits.min_full_members, has_own_organization=False)
        if limits.min_full_members is not None
        else Q(pk__in=[])
    )
    return units.annotate(
        gap_should_build_own=Case(
            When(should_build_own, then=True), default=False, output_field=BooleanField()
        ),
        gap_members_without_organization=Case(
            When(Q(members__gt=0, org_covered=False), then=True), default=False, output_field=BooleanField()
        ),
    )


GAP_FIELDS = {
    "should_build_own": "gap_should_build_own",
    "term_expired": "gap_term_expired",
    "joint_over_max": "gap_joint_over_max",
    "members_without_organization": "gap_members_without_organization",
}


def campaign_units(user) -> QuerySet[Unit]:
    """The units the user may see that the campaign counts: not closed or deregistered."""
    return visible_to(user, Unit.objects.exclude(operating_status__in=CLOSED_STATUSES))


def facts_of(row, limits: Thresholds) -> UnitFacts:
    """The rules' facts from a unit annotated by ``annotate_coverage``. Only whether a joint
    branch covering it is over the limit matters to the rules, so ``joint_units`` says just that."""
    joint_over = bool(row.gap_joint_over_max) and limits.max_units is not None
    return UnitFacts(
        full_members=row.full_members,
        members=row.members,
        has_own_organization=row.has_own_organization,
        org_covered=row.org_covered,
        has_instructor=row.has_instructor,
        term_expired=row.gap_term_expired,
        joint_units=(limits.max_units + 1) if joint_over else 0,
        key_area=row.key_area,
        activists=row.activists,
    )


# --- the coverage list ------------------------------------------------------------------------

NO_KEY_AREA = "none"  # the list's filter value for units in no key area
PREPARING = "preparing"  # the list's status filter value: covered by organizations in preparation


def in_area(
    units: QuerySet[Unit], *, street_id=None, industry: str = "", key_area: str = ""
) -> QuerySet[Unit]:
    """The units in the area the list, map and progress filters choose (NO_KEY_AREA: in none)."""
    if street_id:
        units = units.filter(street_id=street_id)
    if industry:
        units = units.filter(industry=industry)
    if key_area == NO_KEY_AREA:
        units = units.filter(key_area="")
    elif key_area:
        units = units.filter(key_area=key_area)
    return units


def coverage_list(
    user,
    *,
    text: str = "",
    street_id=None,
    industry: str = "",
    key_area: str = "",
    status: str = "",
    gap: str = "",
    on: datetime.date | None = None,
) -> QuerySet[Unit]:
    """The campaign's units the user may see, each with its coverage, the first covering
    organization the user may see and the instructor in place, filtered; all in one query."""
    on = on or timezone.localdate()
    units = campaign_units(user).select_related("street")
    if text:
        units = units.filter(Q(name__icontains=text) | Q(uscc__iexact=text) | Q(address__icontains=text))
    units = in_area(units, street_id=street_id, industry=industry, key_area=key_area)
    units = annotate_coverage(units, on=on)
    if status == PREPARING:
        units = units.filter(org_preparing=True)
    elif status:
        units = units.filter(coverage_status=status)
    if gap in GAP_FIELDS:
        units = units.filter(**{GAP_FIELDS[gap]: True})
    organizations = visible_to(user, Organization.objects.all())
    first_organization = (
        covering_links(on=on)
        .filter(organization__in=organizations)
        .order_by("organization__path")
        .values("organization__name")[:1]
    )
    instructor = (
        InstructorAssignment.objects.filter(_active_on(on), unit_id=OuterRef("pk"))
        .order_by("-start_date", "-id")
        .values("instructor__name")[:1]
    )
    return units.annotate(
        organization_name=Subquery(first_organization), instructor_name=Subquery(instructor)
    ).order_by("street__path", "path", "pk")


class CoverageRows:
    """The coverage list as a sequence that computes the per-unit subqueries for the rows asked
    for only: a page (``rows[50:100]``) first reads the ordered ids, filtered in SQL, then
    annotates those ids. Ordering on a query with subqueries in its select list makes SQLite
    compute them for every unit before it sorts; this way a page of a 50,000-unit district costs
    what a page of a street does. Paginator and ninja's pagination use ``count()`` and slices."""

    def __init__(self, units: QuerySet[Unit]):
        self.units = units

    def count(self) -> int:
        return self.units.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.units)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pks = list(self.units.values_list("pk", flat=True)[index])
        rows = {row.pk: row for row in self.units.filter(pk__in=pks)}
        return [rows[pk] for pk in pks]


def gap_list(row) -> list[Gap]:
    """The gaps flagged on an annotated unit, in the order of ``Gap``."""
    return [Gap(gap) for gap, name in GAP_FIELDS.items() if getattr(row, name)]


# --- counts: the progress page and the snapshots ---------------------------------------------


def coverage_counts() -> dict:
    """Aggregates over units annotated by ``annotate_coverage`` (the snapshot's count fields)."""
    return {
        "units": Count("id"),
        "org_covered": Count("id", filter=Q(coverage_status=CoverageStatus.ORGANIZATIONAL)),
        "org_preparing": Count("id", filter=Q(org_preparing=True)),
        "work_covered": Count("id", filter=Q(coverage_status=CoverageStatus.WORK)),
        "not_covered": Count("id", filter=Q(coverage_status=CoverageStatus.NONE)),
        **{name: Count("id", filter=Q(**{field: True})) for name, field in GAP_FIELDS.items()},
    }


COUNT_FIELDS = (
    "units",
    "org_covered",
    "org_preparing",
    "work_covered",
    "not_covered",
    *GAP_FIELDS,
)


# --- one unit: the unit page's panel ----------------------------------------------------------


@dataclass
class Partner:
    unit: Unit
    full_members: int
    distance_m: int


@dataclass
class UnitCoverage:
    unit: Unit  # annotated by annotate_coverage
    limits: Thresholds
    status: CoverageStatus
    gaps: list[Gap]
    step: NextStep
    organizations: list[Organization]  # covering ones the user may see, with ``unit_count``
    hidden_organizations: int  # covering ones outside the user's scope
    instructors: list[InstructorAssignment]
    partners: list[Partner] = field(default_factory=list)  # for a joint build
    regional_organizations: list[Organization] = field(default_factory=list)  # in its key area


def unit_coverage(user, unit: Unit, *, on: datetime.date | None = None) -> UnitCoverage | None:
    """The unit's coverage, why, its gaps and the next step, as the user may see it (None when the
    unit is not visible). For a joint build it names nearby partners; for a regional build, the
    regional organizations of its street and key area."""
    on = on or timezone.localdate()
    limits = thresholds()
    row = annotate_coverage(visible_to(user, Unit.objects.filter(pk=unit.pk)), on=on, limits=limits).first()
    if row is None:
        return None
    facts = facts_of(row, limits)
    covering = Organization.objects.filter(
        pk__in=covering_links(on=on, unit=row.pk).values("organization_id")
    )
    organizations = list(
        visible_to(user, covering).annotate(unit_count=Count("covered_units")).order_by("-status", "path")
    )
    partners = (
        find_partners(user, row, facts, limits, on=on) if facts.members and not facts.org_covered else []
    )
    step = next_step(facts, limits, joint_partners=bool(partners))
    regional = []
    if step == NextStep.REGIONAL and row.street_id:
        regional = list(
            visible_to(
                user,
                Organization.objects.filter(
                    build_method=Organization.BuildMethod.REGIONAL,
                    status__in=COVERING_STATUSES,
                    covered_units__street_id=row.street_id,
                    covered_units__key_area=row.key_area,
                ),
            )
            .annotate(unit_count=Count("covered_units", distinct=True))
            .order_by("path")[:5]
        )
    return UnitCoverage(
        unit=row,
        limits=limits,
        status=CoverageStatus(row.coverage_status),
        gaps=gaps(facts, limits),
        step=step,
        organizations=organizations,
        hidden_organizations=covering.count() - len(organizations),
        instructors=list(
            visible_to(user, InstructorAssignment.objects.filter(_active_on(on), unit_id=row.pk))
            .select_related("instructor", "dispatched_by")
            .order_by("-start_date")
        ),
        partners=partners if step == NextStep.JOINT else [],
        regional_organizations=regional,
    )


METRES_PER_DEGREE = 111_320


def find_partners(user, row, facts: UnitFacts, limits: Thresholds, *, on: datetime.date) -> list[Partner]:
    """Nearby units the user may see to build a joint branch with: same street, in the campaign,
    not organizationally covered, too few full members to build their own, with coordinates,
    within the maximum distance (a bounding box in SQL, then ``rules.pick_joint_partners``)."""
    if row.latitude is None or row.longitude is None or not row.street_id:
        return []
    lat, lon = float(row.latitude), float(row.longitude)
    units = campaign_units(user).filter(
        street_id=row.street_id, latitude__isnull=False, longitude__isnull=False
    )
    units = units.exclude(pk=row.pk)
    if limits.max_distance_m is not None:
        d_lat = limits.max_distance_m / METRES_PER_DEGREE
        d_lon = d_lat / max(math.cos(math.radians(lat)), 0.01)
        units = units.filter(
            latitude__range=(lat - d_lat, lat + d_lat), longitude__range=(lon - d_lon, lon + d_lon)
        )
    units = annotate_coverage(units, on=on, limits=limits).filter(org_covered=False, full_members__gt=0)
    if limits.min_full_members is not None:
        units = units.filter(full_members__lt=limits.min_full_members)
    # Nearest first is done in Python; a box of 3 km in a city holds a few hundred units at most.
    found = {u.pk: u for u in units[:2000]}
    candidates = [
        Candidate(
            pk=u.pk, full_members=u.full_members, latitude=float(u.latitude), longitude=float(u.longitude)
        )
        for u in found.values()
    ]
    me = Candidate(pk=row.pk, full_members=row.full_members, latitude=lat, longitude=lon)
    chosen = pick_joint_partners(me, candidates, limits) or []
    return [
        Partner(
            unit=found[c.pk],
            full_members=c.full_members,
            distance_m=round(distance_m(lat, lon, c.latitude, c.longitude)),
        )
        for c in chosen
    ]
