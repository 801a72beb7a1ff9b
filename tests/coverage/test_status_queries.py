"""annotate_coverage (SQL) and the pure rules (rules.py) agree, on hand-made and generated units."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.coverage.queries import annotate_coverage
from dangjian.coverage.rules import CoverageStatus, Gap, Thresholds, UnitFacts, coverage_status, gaps
from dangjian.membership.models import DevelopmentRecord
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment, Person
from dangjian.regions.models import Region
from dangjian.units.models import InstructorAssignment, Unit

ON = datetime.date(2025, 9, 15)
LIMITS = Thresholds(min_full_members=3, max_units=5, max_distance_m=1500)
_seq = itertools.count(1)

pytestmark = pytest.mark.django_db


def _coverage(unit, *, on=ON, limits=LIMITS):
    return annotate_coverage(Unit.objects.filter(pk=unit.pk), on=on, limits=limits).get()


def test_world_units(world):
    """The test district: a joint branch, a standalone branch, an instructor, members."""
    units = {
        u.pk: u for u in annotate_coverage(Unit.objects.all(), on=datetime.date(2025, 9, 1), limits=LIMITS)
    }
    outlet_a = units[world.units["outlet_a"].pk]
    assert outlet_a.coverage_status == CoverageStatus.ORGANIZATIONAL
    assert outlet_a.org_covered and not outlet_a.has_own_organization  # a joint branch
    shop_a = units[world.units["shop_a"].pk]
    assert (shop_a.full_members, shop_a.members) == (1, 1)  # the member who disclosed
    plain_b = units[world.units["plain_b"].pk]
    assert plain_b.has_own_organization and plain_b.coverage_status == "organizational"
    hq = units[world.units["hq_a"].pk]  # an instructor, no organization
    assert hq.coverage_status == CoverageStatus.WORK and hq.work_covered and not hq.org_covered
    express_b = units[world.units["express_b"].pk]
    assert express_b.coverage_status == CoverageStatus.NONE and not express_b.work_covered
    # Before the instructor started (2025-05-01), the head company was not covered.
    assert _coverage(world.units["hq_a"], on=datetime.date(2025, 4, 30)).coverage_status == "none"


# --- generated units ----------------------------------------------------------------------------

STAGES = [c for c, _ in DevelopmentRecord.Stage.choices]
ORG_KINDS = [
    Organization.Kind.BRANCH,
    Organization.Kind.GENERAL_BRANCH,
    Organization.Kind.COMMITTEE,
    Organization.Kind.GROUP,
    Organization.Kind.STREET_COMMITTEE,
]
COVERING = {Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH, Organization.Kind.COMMITTEE}

organizations = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(ORG_KINDS),
        "build_method": st.sampled_from([c for c, _ in Organization.BuildMethod.choices] + [""]),
        "status": st.sampled_from([c for c, _ in Organization.Status.choices]),
        "term_end_offset": st.one_of(st.none(), st.integers(-400, 400)),  # days from ON
        "founded_offset": st.one_of(st.none(), st.integers(-900, 60)),
        "other_units": st.integers(0, 6),  # further units it covers
    }
)
employments = st.fixed_dictionaries(
    {
        "status": st.sampled_from([c for c, _ in Person.PoliticalStatus.choices]),
        # Their development record, if any: its stage and how long ago they reached it.
        "pipeline": st.one_of(st.none(), st.tuples(st.sampled_from(STAGES), st.integers(-300, 30))),
        "start_offset": st.integers(-800, 30),
        "length": st.one_of(st.none(), st.integers(0, 900)),
    }
)
unit_specs = st.fixed_dictionaries(
    {
        "employments": st.lists(employments, max_size=7),
        "organizations": st.lists(organizations, max_size=3),
        "instructor": st.one_of(
            st.none(), st.tuples(st.integers(-400, 30), st.one_of(st.none(), st.integers(0, 400)))
        ),
        "key_area": st.sampled_from([c for c, _ in Unit.KeyArea.choices]),
    }
)
limits_strategy = st.builds(
    Thresholds,
    min_full_members=st.one_of(st.none(), st.integers(1, 5)),
    max_units=st.one_of(st.none(), st.integers(1, 6)),
    max_distance_m=st.just(1500),
)


def _day(offset):
    return ON + datetime.timedelta(days=offset)


def _active(start, length):
    end = None if length is None else start + datetime.timedelta(days=length)
    return start <= ON and (end is None or end > ON), end


def _build(spec, street, parent_org) -> UnitFacts:
    """Write one generated unit with its people, organizations and instructor; return the facts
    the rules expect, worked out here from the spec (not from the database)."""
    n = next(_seq)
    unit = Unit.objects.create(
        name=f"单位{n}", kind=Unit.Kind.OUTLET, industry="express", street=street, key_area=spec["key_area"]
    )
    full = members = activists = 0
    for e in spec["employments"]:
        person = Person.objects.create(name=f"人{next(_seq)}", political_status=e["status"])
        start = _day(e["start_offset"])
        active, end = _active(start, e["length"])
        Employment.objects.create(
            person=person, unit=unit, job_type="courier", start_date=start, end_date=end
        )
        if e["pipeline"] is not None:
            stage, since = e["pipeline"]
            DevelopmentRecord.objects.create(
                person=person,
                organization=parent_org,
                stage=stage,
                stage_since=_day(since),
                applied_on=_day(since - 400),
            )
            if active and stage in ("activist", "development_target") and since <= 0:
                activists += 1
        if active and e["status"] == Person.PoliticalStatus.FULL_MEMBER:
            full += 1
        if active and e["status"] in ("full_member", "probationary_member"):
            members += 1
    org_covered = own = term_expired = False
    joint_units = 0
    for o in spec["organizations"]:
        term_end = None if o["term_end_offset"] is None else _day(o["term_end_offset"])
        founded = None if o["founded_offset"] is None else _day(o["founded_offset"])
        org = Organization.objects.create(
            name=f"组织{next(_seq)}",
            kind=o["kind"],
            parent=parent_org,
            build_method=o["build_method"],
            status=o["status"],
            founded_on=founded,
            term_end=term_end,
        )
        others = [
            Unit.objects.create(name=f"其他{next(_seq)}", kind="outlet", industry="express", street=street)
            for _ in range(o["other_units"])
        ]
        org.covered_units.set([unit, *others])
        covers = (
            o["kind"] in COVERING
            and o["status"] in ("active", "preparing")
            and not (o["status"] == "active" and founded is not None and founded > ON)
        )
        if not covers:
            continue
        org_covered = True
        own = own or o["build_method"] not in ("joint", "regional")
        if o["status"] == "active" and term_end is not None and term_end < ON:
            term_expired = True
        if o["build_method"] == "joint":
            joint_units = max(joint_units, 1 + o["other_units"])
    has_instructor = False
    if spec["instructor"] is not None:
        start_offset, length = spec["instructor"]
        start = _day(start_offset)
        has_instructor, end = _active(start, length)
        instructor = Person.objects.create(name=f"指导员{next(_seq)}")
        InstructorAssignment.objects.create(unit=unit, instructor=instructor, start_date=start, end_date=end)
    facts = UnitFacts(
        full_members=full,
        members=members,
        has_own_organization=own,
        org_covered=org_covered,
        has_instructor=has_instructor,
        term_expired=term_expired,
        joint_units=joint_units,
        key_area=spec["key_area"],
        activists=activists,
    )
    return unit, facts


@pytest.fixture
def setting():
    district = Region.objects.create(name="龙华区", kind=Region.Kind.DISTRICT)
    street = Region.objects.create(name="中山街道", kind=Region.Kind.STREET, parent=district)
    root = Organization.objects.create(name="两新工委", kind=Organization.Kind.TWO_NEW_COMMITTEE)
    return street, root


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(unit_specs, min_size=1, max_size=4), limits=limits_strategy)
def test_sql_agrees_with_rules(setting, specs, limits):
    street, root = setting
    with transaction.atomic():
        built = [_build(spec, street, root) for spec in specs]
        rows = {
            u.pk: u
            for u in annotate_coverage(
                Unit.objects.filter(pk__in=[unit.pk for unit, _ in built]), on=ON, limits=limits
            )
        }
        for unit, facts in built:
            row = rows[unit.pk]
            assert row.full_members == facts.full_members
            assert row.members == facts.members
            assert row.org_covered == facts.org_covered
            assert row.has_own_organization == facts.has_own_organization
            assert row.has_instructor == facts.has_instructor
            assert row.activists == facts.activists
            status = coverage_status(org_covered=facts.org_covered, has_instructor=facts.has_instructor)
            assert row.coverage_status == status
            assert row.work_covered == (status == CoverageStatus.WORK)
            expected = set(gaps(facts, limits))
            sql_gaps = {
                gap
                for gap, flag in [
                    (Gap.SHOULD_BUILD_OWN, row.gap_should_build_own),
                    (Gap.TERM_EXPIRED, row.gap_term_expired),
                    (Gap.JOINT_OVER_MAX, row.gap_joint_over_max),
                    (Gap.MEMBERS_WITHOUT_ORGANIZATION, row.gap_members_without_organization),
                ]
                if flag
            }
            assert sql_gaps == expected, (facts, limits)
        transaction.set_rollback(True)


def test_preparing_counts_and_shows(setting):
    street, root = setting
    unit = Unit.objects.create(name="筹建中的站点", kind="outlet", industry="express", street=street)
    org = Organization.objects.create(
        name="筹建联合支部", kind="branch", parent=root, build_method="joint", status="preparing"
    )
    org.covered_units.set([unit])
    row = _coverage(unit)
    assert row.coverage_status == "organizational" and row.org_preparing
    active = Organization.objects.create(
        name="在册支部", kind="branch", parent=root, build_method="standalone"
    )
    active.covered_units.set([unit])
    assert not _coverage(unit).org_preparing
    active.status = Organization.Status.DISSOLVED
    active.save()
    org.status = Organization.Status.DISSOLVED
    org.save()
    assert _coverage(unit).coverage_status == "none"


def test_counts_distinct_people(setting):
    """One person with two running employments at the unit counts once."""
    street, _ = setting
    unit = Unit.objects.create(name="快递站", kind="outlet", industry="express", street=street)
    person = Person.objects.create(name="党员甲", political_status="full_member")
    for start in (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)):
        Employment.objects.create(person=person, unit=unit, job_type="courier", start_date=start)
    assert (_coverage(unit).full_members, _coverage(unit).members) == (1, 1)


def test_annotations_filter_and_aggregate(setting):
    """The annotations work in filters and grouped counts (the lists and progress pages)."""
    from django.db.models import Count, Q

    street, root = setting
    covered = Unit.objects.create(name="甲", kind="outlet", industry="express", street=street)
    Unit.objects.create(name="乙", kind="outlet", industry="express", street=street)
    org = Organization.objects.create(name="支部", kind="branch", parent=root, build_method="standalone")
    org.covered_units.set([covered])
    units = annotate_coverage(Unit.objects.all(), on=ON, limits=LIMITS)
    assert list(units.filter(coverage_status="organizational").values_list("pk", flat=True)) == [covered.pk]
    totals = units.values("street_id").annotate(
        n=Count("id"), org=Count("id", filter=Q(coverage_status="organizational"))
    )
    assert [(t["n"], t["org"]) for t in totals] == [(2, 1)]
