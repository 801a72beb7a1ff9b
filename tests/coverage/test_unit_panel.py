"""The unit page's coverage panel: status, why, gaps and the next step, with named partners."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from dangjian.coverage.queries import unit_coverage
from dangjian.coverage.rules import CoverageStatus, Gap, NextStep
from dangjian.people.models import Person
from dangjian.units.models import Unit
from tests.world import person, unit

pytestmark = pytest.mark.django_db


def _panel(client, u) -> str:
    html = client.get(reverse("units:detail", kwargs={"unit_pk": u.pk})).content.decode()
    match = re.search(r'<section class="card mb-3" id="coverage".*?</section>', html, re.S)
    assert match, "no coverage panel on the unit page"
    return match.group(0)


def _members(at, n, status=Person.PoliticalStatus.FULL_MEMBER, prefix="党员"):
    for i in range(n):
        p = person(f"{prefix}{at.pk}-{i}", works_at=at)
        p.political_status = status
        p.save()


def _place(u, lat, lon):
    Unit.objects.filter(pk=u.pk).update(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
    u.refresh_from_db()
    return u


def test_covered_by_a_joint_branch_whose_term_ran_out(client, world):
    client.force_login(world.users["street_a"])
    panel = _panel(client, world.units["shop_a"])
    assert 'data-testid="coverage-status"' in panel
    assert "中山外卖联合党支部" in panel  # why: the organization that lists it
    assert escape(str(Gap.TERM_EXPIRED.label)) in panel
    assert escape(str(NextStep.REELECT.label)) in panel
    coverage = unit_coverage(world.users["street_a"], world.units["shop_a"])
    assert coverage.status == CoverageStatus.ORGANIZATIONAL and coverage.step == NextStep.REELECT


def test_instructor_without_members_means_dispatch(client, world):
    client.force_login(world.users["district_admin"])
    coverage = unit_coverage(world.users["district_admin"], world.units["hq_a"])
    assert coverage.status == CoverageStatus.WORK and coverage.step == NextStep.DISPATCH
    assert [a.instructor.name for a in coverage.instructors] == ["孙指导"]
    panel = _panel(client, world.units["hq_a"])
    assert "孙指导" in panel and escape(str(NextStep.DISPATCH.label)) in panel


def test_three_full_members_should_build_their_own(client, world):
    _members(world.units["express_b"], 3)
    coverage = unit_coverage(world.users["street_b"], world.units["express_b"])
    assert coverage.status == CoverageStatus.NONE
    assert coverage.gaps == [Gap.SHOULD_BUILD_OWN, Gap.MEMBERS_WITHOUT_ORGANIZATION]
    assert coverage.step == NextStep.STANDALONE
    client.force_login(world.users["street_b"])
    assert escape(str(NextStep.STANDALONE.label)) in _panel(client, world.units["express_b"])


def test_joint_build_names_nearby_units_of_the_same_street(client, world):
    express = _place(world.units["express_b"], 20.0300, 110.3300)
    _members(express, 1)
    near = _place(unit("滨海顺丰网点", world.street_b, kind=Unit.Kind.OUTLET), 20.0340, 110.3300)  # ~450 m
    _members(near, 2)
    far = _place(unit("滨海远处网点", world.street_b, kind=Unit.Kind.OUTLET), 20.0500, 110.3300)  # ~2.2 km
    _members(far, 2)
    # Near, but in another street: never a partner.
    other = _place(unit("中山隔壁网点", world.street_a, kind=Unit.Kind.OUTLET), 20.0301, 110.3301)
    _members(other, 2)
    coverage = unit_coverage(world.users["district_admin"], express)
    assert coverage.step == NextStep.JOINT
    assert [(p.unit.name, p.full_members) for p in coverage.partners] == [("滨海顺丰网点", 2)]
    assert 400 < coverage.partners[0].distance_m < 500
    client.force_login(world.users["street_b"])
    panel = _panel(client, express)
    assert "滨海顺丰网点" in panel and "滨海远处网点" not in panel and "中山隔壁网点" not in panel
    # The partner organized meanwhile.
    from tests.world import organization

    organization(
        "滨海顺丰党支部",
        "branch",
        world.organizations["committee_b"],
        covers=[near],
        build_method="standalone",
    )
    coverage = unit_coverage(world.users["district_admin"], express)
    # No partner left, no key area, no activist: an instructor first, to grow the pipeline.
    assert coverage.partners == [] and coverage.step == NextStep.DISPATCH
    # An activist in the pipeline works there: incubation.
    from dangjian.membership.models import DevelopmentRecord

    activist = person("积极分子甲", works_at=express)
    day = datetime.date(2025, 6, 1)
    DevelopmentRecord.objects.create(
        person=activist,
        organization=world.organizations["committee_b"],
        stage="activist",
        stage_since=day,
        applied_on=day,
    )
    coverage = unit_coverage(world.users["district_admin"], express)
    assert coverage.unit.activists == 1 and coverage.step == NextStep.INCUBATION
    client.force_login(world.users["district_admin"])
    assert escape(str(NextStep.INCUBATION.label)) in _panel(client, express)


def test_regional_build_in_a_key_area(world):
    outlet = world.units["outlet_b"]
    Unit.objects.filter(pk=outlet.pk).update(key_area="industrial_park")
    _members(outlet, 1)
    coverage = unit_coverage(world.users["district_admin"], outlet)
    assert coverage.step == NextStep.REGIONAL


def test_preparing_shows_distinctly(client, world):
    from tests.world import organization

    organization(
        "滨海快递联合党支部（筹）",
        "branch",
        world.organizations["committee_b"],
        covers=[world.units["express_b"]],
        street=world.street_b,
        build_method="joint",
        status="preparing",
    )
    client.force_login(world.users["street_b"])
    panel = _panel(client, world.units["express_b"])
    assert 'data-testid="coverage-preparing"' in panel and "滨海快递联合党支部（筹）" in panel


def test_out_of_scope_organizations_are_counted_not_named(client, world):
    # A street-B branch covers the express unit; the express committee's staff see the unit (its
    # industry) but not the street's branch: the status counts it, the panel does not name it.
    from tests.world import organization

    organization(
        "滨海快递党支部",
        "branch",
        world.organizations["committee_b"],
        street=world.street_b,
        covers=[world.units["express_b"]],
    )
    staff = world.users["committee_staff"]
    coverage = unit_coverage(staff, world.units["express_b"])
    assert coverage.status == CoverageStatus.ORGANIZATIONAL
    assert coverage.organizations == [] and coverage.hidden_organizations == 1
    client.force_login(staff)
    assert "滨海快递党支部" not in _panel(client, world.units["express_b"])
    assert [
        o.name for o in unit_coverage(world.users["street_b"], world.units["express_b"]).organizations
    ] == ["滨海快递党支部"]
    assert unit_coverage(world.users["street_a"], world.units["express_b"]) is None


def test_page_as_of_a_past_day_says_coverage_is_today(client, world):
    client.force_login(world.users["street_a"])
    url = reverse("units:detail", kwargs={"unit_pk": world.units["shop_a"].pk})
    html = client.get(url, {"as_of": datetime.date(2025, 6, 1).isoformat()}).content.decode()
    assert 'data-testid="coverage-panel"' not in html
