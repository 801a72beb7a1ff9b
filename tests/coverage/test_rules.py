"""The coverage rules (rules.py): every coverage state, gap and next step, property-based."""

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.coverage.rules import (
    Candidate,
    CoverageStatus,
    Gap,
    NextStep,
    Thresholds,
    UnitFacts,
    coverage_status,
    distance_m,
    gaps,
    next_step,
    pick_joint_partners,
)

DEFAULT = Thresholds()

facts_strategy = st.builds(
    UnitFacts,
    full_members=st.integers(0, 12),
    members=st.integers(0, 3),  # probationary members on top, added below
    has_own_organization=st.booleans(),
    org_covered=st.booleans(),
    has_instructor=st.booleans(),
    term_expired=st.booleans(),
    joint_units=st.integers(0, 9),
    key_area=st.sampled_from(["", "office_building", "industrial_park", "delivery_station"]),
    activists=st.integers(0, 3),
).map(
    # Coherent facts: members include the full members; an own organization covers the unit.
    lambda f: UnitFacts(
        **{
            **f.__dict__,
            "members": f.full_members + f.members,
            "org_covered": f.org_covered or f.has_own_organization,
        }
    )
)
limits_strategy = st.builds(
    Thresholds,
    min_full_members=st.one_of(st.none(), st.integers(1, 6)),
    max_units=st.one_of(st.none(), st.integers(1, 8)),
    max_distance_m=st.one_of(st.none(), st.integers(100, 3000)),
)


def test_defaults_are_the_regulation():
    assert (DEFAULT.min_full_members, DEFAULT.max_units, DEFAULT.max_distance_km) == (3, 5, 1.5)


@pytest.mark.django_db
def test_thresholds_come_from_the_rule_table():
    from dangjian.core.models import Rule
    from dangjian.coverage.rules import thresholds

    assert thresholds() == DEFAULT
    Rule.objects.filter(key="joint-branch-max-units").update(value=4)
    Rule.objects.filter(key="joint-build-max-distance-m").update(enabled=False)
    assert thresholds() == Thresholds(min_full_members=3, max_units=4, max_distance_m=None)


# --- status ------------------------------------------------------------------------------------


@given(org_covered=st.booleans(), has_instructor=st.booleans())
def test_status(org_covered, has_instructor):
    status = coverage_status(org_covered=org_covered, has_instructor=has_instructor)
    if org_covered:
        assert status == CoverageStatus.ORGANIZATIONAL  # an organization wins over an instructor
    elif has_instructor:
        assert status == CoverageStatus.WORK
    else:
        assert status == CoverageStatus.NONE


# --- gaps --------------------------------------------------------------------------------------


@given(facts=facts_strategy, limits=limits_strategy)
def test_gaps(facts, limits):
    found = gaps(facts, limits)
    assert len(found) == len(set(found))
    assert (Gap.SHOULD_BUILD_OWN in found) == (
        limits.min_full_members is not None
        and facts.full_members >= limits.min_full_members
        and not facts.has_own_organization
    )
    assert (Gap.MEMBERS_WITHOUT_ORGANIZATION in found) == (facts.members > 0 and not facts.org_covered)
    assert (Gap.TERM_EXPIRED in found) == (facts.org_covered and facts.term_expired)
    assert (Gap.JOINT_OVER_MAX in found) == (
        facts.org_covered and limits.max_units is not None and facts.joint_units > limits.max_units
    )


def test_gap_examples():
    three = UnitFacts(full_members=3, members=3)
    assert gaps(three, DEFAULT) == [Gap.SHOULD_BUILD_OWN, Gap.MEMBERS_WITHOUT_ORGANIZATION]
    # Covered by a joint branch: still should build its own, but has an organization in reach.
    joint = UnitFacts(full_members=3, members=3, org_covered=True, joint_units=6)
    assert gaps(joint, DEFAULT) == [Gap.SHOULD_BUILD_OWN, Gap.JOINT_OVER_MAX]
    assert gaps(UnitFacts(full_members=2, members=2, org_covered=True, joint_units=5), DEFAULT) == []
    own = UnitFacts(full_members=9, members=9, has_own_organization=True, org_covered=True, term_expired=True)
    assert gaps(own, DEFAULT) == [Gap.TERM_EXPIRED]
    # The rule switched off: no "should build its own" however many members.
    assert gaps(three, Thresholds(min_full_members=None)) == [Gap.MEMBERS_WITHOUT_ORGANIZATION]


# --- next step ---------------------------------------------------------------------------------


@given(facts=facts_strategy, limits=limits_strategy, joint_partners=st.booleans())
def test_next_step(facts, limits, joint_partners):
    step = next_step(facts, limits, joint_partners=joint_partners)
    building_own = Gap.SHOULD_BUILD_OWN in gaps(facts, limits)
    assert (step == NextStep.STANDALONE) == building_own
    if building_own:
        return
    if facts.org_covered:
        assert step in (NextStep.NONE, NextStep.REELECT, NextStep.SPLIT)
        assert (step == NextStep.REELECT) == facts.term_expired
        return
    # Not covered: always one of the five ways to cover it.
    if facts.members == 0:
        assert step == NextStep.DISPATCH
    elif joint_partners:
        assert step == NextStep.JOINT
    elif facts.key_area:
        assert step == NextStep.REGIONAL
    elif facts.activists or facts.has_instructor:
        assert step == NextStep.INCUBATION  # grow the pipeline into a branch
    else:
        assert step == NextStep.DISPATCH  # an instructor first, to find activists


@pytest.mark.parametrize(
    ("facts", "partners", "expected"),
    [
        (UnitFacts(full_members=4, members=4), False, NextStep.STANDALONE),
        (UnitFacts(), False, NextStep.DISPATCH),
        (UnitFacts(has_instructor=True), False, NextStep.DISPATCH),
        (UnitFacts(full_members=1, members=1), True, NextStep.JOINT),
        (UnitFacts(full_members=2, members=2, key_area="industrial_park"), False, NextStep.REGIONAL),
        (UnitFacts(full_members=0, members=2, activists=1), False, NextStep.INCUBATION),
        (UnitFacts(full_members=1, members=1, has_instructor=True), False, NextStep.INCUBATION),
        (UnitFacts(full_members=2, members=2), False, NextStep.DISPATCH),
        (UnitFacts(full_members=2, members=2, org_covered=True), True, NextStep.NONE),
        (UnitFacts(full_members=2, members=2, org_covered=True, term_expired=True), False, NextStep.REELECT),
        (UnitFacts(full_members=1, members=1, org_covered=True, joint_units=7), False, NextStep.SPLIT),
    ],
)
def test_next_step_examples(facts, partners, expected):
    assert next_step(facts, DEFAULT, joint_partners=partners) == expected


# --- distance and joint partners ---------------------------------------------------------------


def test_distance():
    # One hundredth of a degree of latitude is about 1.11 km anywhere.
    assert distance_m(20.0, 110.3, 20.01, 110.3) == pytest.approx(1112, abs=2)
    assert distance_m(20.0, 110.3, 20.0, 110.3) == 0


# Points within about 3 km of Haikou's centre, on a 0.001° grid.
coordinate = st.tuples(st.integers(-15, 15), st.integers(-15, 15))
candidates_strategy = st.lists(st.tuples(st.integers(0, 3), coordinate), min_size=0, max_size=7).map(
    lambda rows: [
        Candidate(pk=i + 2, full_members=full, latitude=20.03 + dy / 1000, longitude=110.33 + dx / 1000)
        for i, (full, (dy, dx)) in enumerate(rows)
    ]
)


def _valid(unit, group, limits):
    members = [unit, *group]
    if limits.max_units is not None and len(members) > limits.max_units:
        return False
    if unit.full_members + sum(c.full_members for c in group) < (limits.min_full_members or 1):
        return False
    return limits.max_distance_m is None or all(
        distance_m(a.latitude, a.longitude, b.latitude, b.longitude) <= limits.max_distance_m
        for a, b in combinations(members, 2)
    )


@given(
    own=st.integers(0, 2),
    candidates=candidates_strategy,
    limits=st.builds(
        Thresholds,
        min_full_members=st.integers(1, 5),
        max_units=st.one_of(st.none(), st.integers(1, 6)),
        max_distance_m=st.one_of(st.none(), st.integers(300, 2500)),
    ),
)
def test_joint_partners_valid_and_smallest(own, candidates, limits):
    unit = Candidate(pk=1, full_members=own, latitude=20.03, longitude=110.33)
    chosen = pick_joint_partners(unit, candidates, limits)
    useful = [c for c in candidates if c.full_members > 0]
    # Brute force over every group of useful candidates (at most 7 here, all within the search).
    valid = [
        group
        for size in range(1, len(useful) + 1)
        for group in combinations(useful, size)
        if _valid(unit, group, limits)
    ]
    if chosen is None:
        assert valid == []
        return
    assert _valid(unit, chosen, limits)
    assert len({c.pk for c in chosen}) == len(chosen) and unit.pk not in {c.pk for c in chosen}
    assert len(chosen) == min(len(g) for g in valid)  # the smallest group that will do


def test_joint_partners_named_nearest():
    unit = Candidate(pk=1, full_members=1, latitude=20.03, longitude=110.33)
    near = Candidate(pk=2, full_members=2, latitude=20.031, longitude=110.33)  # ~110 m
    far = Candidate(pk=3, full_members=2, latitude=20.04, longitude=110.33)  # ~1.1 km
    too_far = Candidate(pk=4, full_members=5, latitude=20.05, longitude=110.33)  # ~2.2 km
    assert pick_joint_partners(unit, [far, near, too_far], DEFAULT) == [near]
    assert pick_joint_partners(unit, [too_far], DEFAULT) is None
    assert pick_joint_partners(unit, [too_far], Thresholds(max_distance_m=None)) == [too_far]
