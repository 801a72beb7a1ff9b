"""In a real browser: the members' share charts draw under the strict CSP, with nothing fetched
from outside the site, and the mobile-member list shows its flags in Chinese."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_share_charts_draw(live_server, page, world):
    errors, outside = watch(page, live_server)
    log_in(page, live_server, "street_a")
    page.goto(f"{live_server.url}/membership/share/")
    expect(page.get_by_test_id("share-workers")).to_have_text("2")  # 王小明, 刘党员
    expect(page.locator("#share-trend canvas")).to_have_count(1)
    expect(page.locator("#share-streets canvas")).to_have_count(1)
    # The trend has twelve months, the street bar one street: 中山 at 50%.
    months = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('share-trend'))"
        ".getOption().xAxis[0].data.length"
    )
    assert months == 12
    shares = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('share-streets')).getOption().series[0].data"
    )
    assert shares == [50]
    assert not errors, errors
    assert not outside, outside


def test_mobile_list_shows_flags(live_server, page, world):
    log_in(page, live_server, "branch_secretary")
    page.goto(f"{live_server.url}/membership/mobile/")
    table = page.get_by_test_id("mobile-table")
    expect(table.get_by_role("link", name="刘党员")).to_be_visible()
    expect(table.get_by_test_id("flag-transfer")).to_have_count(1)
    expect(table.get_by_test_id("flag-out-of-contact")).to_have_count(1)
