"""In a real browser: the campaign's progress charts drill down to the unit list, and the coverage
map draws the units with no map tiles and nothing fetched from outside the site."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.snapshots import add_months, month_start
from dangjian.units.models import Unit
from tests.e2e.helpers import log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_progress_chart_drills_down(live_server, page, world):
    last_month = add_months(month_start(timezone.localdate()), -1)
    CoverageSnapshot.objects.create(
        month=last_month,
        taken_on=last_month,
        street=world.street_a,
        industry="food_delivery",
        units=3,
        org_covered=1,
        work_covered=1,
        not_covered=1,
    )
    errors, outside = watch(page, live_server)
    log_in(page, live_server, "street_a")
    errors.clear()  # only this page's
    page.goto(f"{live_server.url}/coverage/progress/")
    expect(page.get_by_test_id("progress-units")).to_have_text("3")
    bars = page.locator("#coverage-bars")
    expect(bars.locator("canvas")).to_have_count(1)
    expect(page.locator("#coverage-trend canvas")).to_have_count(1)
    expect(bars).to_have_attribute("data-rendered", "1")
    # Click the middle of the first group's "organizationally covered" bar (2 units, from 0 to 2).
    point = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('coverage-bars'));
          return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [0, 1]);
        }"""
    )
    box = bars.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page).to_have_url(
        re.compile(rf"/coverage/units/\?street={world.street_a.pk}&status=organizational$")
    )
    table = page.get_by_test_id("coverage-table")
    expect(table.get_by_role("link")).to_have_count(2)
    expect(table.get_by_role("link", name="中山便民配送店")).to_be_visible()
    assert errors == [] and outside == []


def test_map_works_without_tiles(live_server, page, world, settings):
    settings.MAP_TILE_URL = ""
    for key, lat, lon in (
        ("hq_a", 20.03, 110.33),
        ("outlet_a", 20.031, 110.332),
        ("shop_a", 20.033, 110.331),
    ):
        Unit.objects.filter(pk=world.units[key].pk).update(
            latitude=Decimal(str(lat)), longitude=Decimal(str(lon))
        )
    errors, outside = watch(page, live_server)
    log_in(page, live_server, "street_a")
    errors.clear()  # only this page's
    page.goto(f"{live_server.url}/coverage/map/")
    area = page.get_by_test_id("coverage-map")
    expect(area).to_have_attribute("data-loaded", "points")
    expect(area).to_have_attribute("data-total", "3")
    expect(area.locator(".coverage-map-street", has_text="中山街道")).to_be_visible()
    expect(area.locator(".leaflet-control-scale")).to_be_visible()
    # Filter to the units not covered at all: none in street A.
    page.locator("#id_status").select_option("none")
    page.get_by_role("button", name="显示").click()
    expect(area).to_have_attribute("data-total", "0")
    assert errors == [] and outside == []
