"""In a real browser: street staff run the joint-build planner for their street, review the proposal
on the map (no tiles configured: points only), accept one group, and see its units turn covered."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from dangjian.coverage.models import ProposedGroup
from dangjian.organizations.models import Organization
from dangjian.people.models import Person
from tests.world import PASSWORD, person, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def zh(message: str) -> str:
    """The interface text for a source string (Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def small_units(street, count: int):
    """``count`` units about 200 m apart, one full member each: together they make a joint branch."""
    units = []
    for i in range(count):
        obj = unit(
            f"中山便利店{i + 1}号",
            street,
            latitude=Decimal(f"{20.030 + 0.0018 * (i % 2):.6f}"),
            longitude=Decimal(f"{110.330 + 0.0019 * (i // 2):.6f}"),
        )
        member = person(f"党员{i + 1}", works_at=obj)
        member.political_status = Person.PoliticalStatus.FULL_MEMBER
        member.save()
        units.append(obj)
    return units


def test_street_staff_plan_accept_a_group_and_its_units_turn_covered(live_server, page, world, settings):
    settings.MAP_TILE_URL = ""  # no tile server reachable: the map draws the points on a plain background
    units = small_units(world.street_a, 4)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("street_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("link", name=zh("Joint-build planner")).first.click()
    # Street staff plan their own street only: it is the one choice.
    street = page.get_by_test_id("plan-street")
    expect(street.locator("option")).to_have_count(1)
    expect(street).to_have_value(str(world.street_a.pk))
    page.get_by_test_id("plan-run").click()

    expect(page.get_by_test_id("proposal-status")).to_have_attribute("data-status", "ready")
    expect(page.get_by_test_id("proposal-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#proposal-map path.leaflet-interactive")).to_have_count(8)  # 4 points, 4 spokes
    table = page.get_by_test_id("group-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    for obj in units:
        expect(table).to_contain_text(obj.name)
    table.get_by_test_id("group-link").click()

    expect(page.get_by_test_id("group-units").locator("tbody tr")).to_have_count(4)
    page.get_by_test_id("branch-name").fill("中山便利店联合党支部")
    page.get_by_test_id("accept-group").click()
    expect(page.get_by_test_id("group-accepted")).to_contain_text("中山便利店联合党支部")

    branch = Organization.objects.get(name="中山便利店联合党支部")
    assert (branch.status, branch.build_method, branch.parent) == (
        Organization.Status.PREPARING,
        Organization.BuildMethod.JOINT,
        world.organizations["committee_a"],
    )
    assert ProposedGroup.objects.get(organization=branch).status == ProposedGroup.Status.ACCEPTED

    # The unit's page now says it is covered, by the branch in preparation.
    page.get_by_test_id("group-units").get_by_role("link", name=units[0].name).click()
    panel = page.get_by_test_id("coverage-panel")
    expect(panel.get_by_test_id("coverage-status")).to_have_class("badge coverage-organizational")
    expect(panel.get_by_test_id("coverage-preparing")).to_be_visible()
    expect(panel).to_contain_text("中山便利店联合党支部")
