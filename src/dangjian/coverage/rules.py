"""The rules of the two coverages (measure 4), as pure functions.

A unit is *organizationally covered* when a party organization (a committee, general branch or
branch, active or being prepared) lists it among its covered units: its own, or a joint or
regional one. It is *work-covered only* when party work reaches it without an organization: an
instructor (党建指导员) dispatched there. Otherwise it is *not covered*.

Organizations being prepared (筹建, status "preparing") count as organizational coverage: accepting
a joint-build proposal creates one, and the campaign counts the unit from that day. Pages show
"in preparation" beside the status, and the snapshots keep their number, so the rate can also be
read without them. Leading bodies (the two-new working committee, comprehensive, street and town
committees) and party groups do not cover a unit by listing it: a unit is covered by a primary
organization. An organization is the unit's *own* unless it was built jointly or by region.

The thresholds come from the rule table (core/rules.py): ``thresholds()`` reads them; every other
function here is pure and takes them as arguments. A rule switched off is ``None`` and its check
is not applied.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_FULL_MEMBERS_RULE = "standalone-build-min-full-members"
MAX_UNITS_RULE = "joint-branch-max-units"
MAX_DISTANCE_RULE = "joint-build-max-distance-m"


class CoverageStatus(models.TextChoices):
    ORGANIZATIONAL = "organizational", _("organizationally covered")
    WORK = "work", _("work-covered only")
    NONE = "none", _("not covered")


class Gap(models.TextChoices):
    SHOULD_BUILD_OWN = "should_build_own", _("should build its own organization")
    TERM_EXPIRED = "term_expired", _("organization's term has run out")
    JOINT_OVER_MAX = "joint_over_max", _("joint branch over the unit limit")
    MEMBERS_WITHOUT_ORGANIZATION = "members_without_organization", _("party members but no organization")


class NextStep(models.TextChoices):
    NONE = "none", _("keep the organization working")
    STANDALONE = "standalone", _("standalone build")
    JOINT = "joint", _("joint build with nearby units")
    REGIONAL = "regional", _("regional build in its key area")
    DISPATCH = "dispatch", _("dispatch an instructor")
    INCUBATION = "incubation", _("incubation")
    REELECT = "reelect", _("hold the re-election")
    SPLIT = "split", _("reorganize the joint branch")


@dataclass(frozen=True)
class Thresholds:
    min_full_members: int | None = 3  # a unit with this many full members builds its own
    max_units: int | None = 5  # units one joint branch may cover
    max_distance_m: int | None = 1500  # between any two units of one joint build

    @property
    def max_distance_km(self) -> float | None:
        return None if self.max_distance_m is None else self.max_distance_m / 1000


def thresholds() -> Thresholds:
    """The district's current values from the rule table (three small queries)."""
    from dangjian.core.rules import rule_value

    return Thresholds(
        min_full_members=rule_value(MIN_FULL_MEMBERS_RULE),
        max_units=rule_value(MAX_UNITS_RULE),
        max_distance_m=rule_value(MAX_DISTANCE_RULE),
    )


@dataclass(frozen=True)
class UnitFacts:
    """What the rules need to know about one unit on one day (the SQL annotations, in Python)."""

    full_members: int = 0
    members: int = 0  # full and probationary
    has_own_organization: bool = False
    org_covered: bool = False
    has_instructor: bool = False
    term_expired: bool = False  # an active covering organization's term has run out
    joint_units: int = 0  # units of the largest joint branch covering it (0: none)
    key_area: str = ""
    activists: int = 0  # activists and development targets working there (the pipeline)


def coverage_status(*, org_covered: bool, has_instructor: bool) -> CoverageStatus:
    if org_covered:
        return CoverageStatus.ORGANIZATIONAL
    if has_instructor:
        return CoverageStatus.WORK
    return CoverageStatus.NONE


def should_build_own(facts: UnitFacts, limits: Thresholds) -> bool:
    return (
        limits.min_full_members is not None
        and facts.full_members >= limits.min_full_members
        and not facts.has_own_organization
    )


def gaps(facts: UnitFacts, limits: Thresholds) -> list[Gap]:
    """The campaign's gaps for one unit, in the order of ``Gap``."""
    found = []
    if should_build_own(facts, limits):
        found.append(Gap.SHOULD_BUILD_OWN)
    if facts.org_covered and facts.term_expired:
        found.append(Gap.TERM_EXPIRED)
    if facts.org_covered and limits.max_units is not None and facts.joint_units > limits.max_units:
        found.append(Gap.JOINT_OVER_MAX)
    if facts.members > 0 and not facts.org_covered:
        found.append(Gap.MEMBERS_WITHOUT_ORGANIZATION)
    return found


def next_step(facts: UnitFacts, limits: Thresholds, *, joint_partners: bool) -> NextStep:
    """The recommended next step for a unit.

    ``joint_partners``: nearby units were found to build a joint branch with (see
    ``pick_joint_partners``). In order: enough full members and no organization of its own,
    standalone; covered, fix what is wrong with its organization (re-election, a joint branch
    over the limit) or nothing. Not covered: no party member, dispatch an instructor; else joint
    build with the partners found, regional build when it lies in a key area, incubation when
    activists are in the pipeline there; with none, dispatch an instructor to grow them, or, one
    being in place already, incubation.
    """
    if should_build_own(facts, limits):
        return NextStep.STANDALONE
    if facts.org_covered:
        if facts.term_expired:
            return NextStep.REELECT
        if limits.max_units is not None and facts.joint_units > limits.max_units:
            return NextStep.SPLIT
        return NextStep.NONE
    if facts.members == 0:
        return NextStep.DISPATCH
    if joint_partners:
        return NextStep.JOINT
    if facts.key_area:
        return NextStep.REGIONAL
    if facts.activists > 0 or facts.has_instructor:
        return NextStep.INCUBATION
    return NextStep.DISPATCH


# --- distances and joint partners -----------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Candidate:
    """A unit that could join a joint build: same street, not organizationally covered."""

    pk: int
    full_members: int
    latitude: float
    longitude: float


JOINT_SEARCH_NEAREST = 12  # candidates searched for one unit's partners, nearest first


def pick_joint_partners(
    unit: Candidate, candidates: Sequence[Candidate], limits: Thresholds
) -> list[Candidate] | None:
    """Nearby units to build a joint branch with, nearest first, or None when none will do.

    Among the nearest candidates (``JOINT_SEARCH_NEAREST``) that bring full members and lie
    within the maximum distance of the unit, the smallest group (at most the unit limit) whose
    units all lie within the maximum distance of each other and which reaches the full members a
    branch needs; among groups of that size, the one nearest the unit (sum of distances). This
    names real partners on a unit's page; the planner (planner.py) optimizes a whole street.
    """
    need = limits.min_full_members if limits.min_full_members is not None else 1
    max_partners = (limits.max_units - 1) if limits.max_units is not None else None
    short = need - unit.full_members
    if max_partners is not None and max_partners < 1:
        return None

    def dist(a: Candidate, b: Candidate) -> float:
        return distance_m(a.latitude, a.longitude, b.latitude, b.longitude)

    def near(a: Candidate, b: Candidate) -> bool:
        return limits.max_distance_m is None or dist(a, b) <= limits.max_distance_m

    pool = sorted(
        (c for c in candidates if c.pk != unit.pk and c.full_members > 0 and near(c, unit)),
        key=lambda c: (dist(unit, c), c.pk),
    )[:JOINT_SEARCH_NEAREST]
    # Each partner brings at least one full member: more than ``short`` partners are never needed.
    largest = min(len(pool), max(short, 1))
    if max_partners is not None:
        largest = min(largest, max_partners)
    for size in range(1, largest + 1):
        best, best_cost = None, None
        for group in combinations(pool, size):
            if sum(c.full_members for c in group) < short:
                continue
            if not all(near(a, b) for a, b in combinations(group, 2)):
                continue
            cost = sum(dist(unit, c) for c in group)
            if best_cost is None or cost < best_cost:
                best, best_cost = group, cost
        if best is not None:
            return list(best)  # pool order: nearest first
    return None
