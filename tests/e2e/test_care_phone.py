"""Care and support on a phone (measure 9): a rider finds the nearest open red rider station.

``find_nearest_open_station`` is the reusable step: the phone shares its position with the public
finder (no login) and the first station listed is returned. The care-fund steps build on it.
"""

import gzip
import re

import pytest
from playwright.sync_api import expect

from dangjian.care.station_rules import every_day
from dangjian.regions.models import Region
from tests.world import add_station

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Where the rider stands: a little north of 中山街道's service centre (博爱社区).
RIDER = {"latitude": 20.0460, "longitude": 110.3480}
FIRST_LOAD_BUDGET = 300 * 1024


def phone(browser, *, position=RIDER):
    """A phone-sized browser; with ``position`` it shares that location, without it it refuses."""
    options = {"viewport": PHONE, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
    if position is not None:
        options.update(geolocation=position, permissions=["geolocation"])
    return browser.new_context(**options)


def find_nearest_open_station(page, live_server):
    """Open the finder; the phone gives its position; return the first station card (nearest
    station open now, the finder's default)."""
    page.goto(f"{live_server.url}/stations/")
    first = page.get_by_test_id("station").first
    expect(first).to_be_visible()
    return first


def stations_around_the_rider(world):
    """Nearest to the rider: one never open (closed), then one open around the clock, then the
    world's service centre (open 08:00–20:00, so open or not depending on the hour)."""
    boai = Region.objects.get(name="博爱社区")
    closed = add_station("维修中驿站", world.street_a, latitude=20.04615, longitude=110.3480, periods=())
    always = add_station(
        "全天候驿站",
        world.street_a,
        community=boai,
        latitude=20.0472,
        longitude=110.3480,
        periods=every_day(),
        services=("water", "rest", "charging"),
    )
    return closed, always


def test_a_rider_finds_the_nearest_open_station_on_a_phone(live_server, browser, world):
    closed, always = stations_around_the_rider(world)
    context = phone(browser)
    page = context.new_page()
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request))

    first = find_nearest_open_station(page, live_server)
    expect(first).to_contain_text(always.name)
    expect(first).to_have_attribute("data-open", "1")
    expect(first.get_by_test_id("distance")).to_have_text(re.compile(r"^1[23]\d m$"))
    route = first.get_by_test_id("route")
    expect(route).to_have_attribute(
        "href", re.compile(r"^https://uri\.amap\.com/marker\?position=110\.348000,20\.047200")
    )
    expect(page.get_by_test_id("results")).not_to_contain_text(closed.name)  # nearer, but closed
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # First load, as sent compressed by the production server: under 300 KB; no map library yet.
    urls = [request.url for request in loaded]
    assert not any("leaflet" in url for url in urls), urls
    sent = sum(len(gzip.compress(request.response().body())) for request in loaded)
    assert sent < FIRST_LOAD_BUDGET, f"{sent} bytes on first load"

    # All stations: the nearer closed one comes first, saying so.
    page.locator("label[for=show-all]").click()
    expect(page.get_by_test_id("station").first).to_contain_text(closed.name)
    expect(page.get_by_test_id("station").first).to_have_attribute("data-open", "0")

    # The map loads on demand and shows the points without any tile server.
    page.get_by_test_id("map-toggle").click()
    expect(page.locator("#station-map.no-tiles")).to_be_visible()
    expect(page.locator("#station-map .leaflet-interactive").first).to_be_visible()
    assert page.locator("#station-map .leaflet-interactive").count() >= 3  # the rider and the stations
    assert page.locator("#station-map img.leaflet-tile").count() == 0
    context.close()


def test_without_location_the_rider_starts_from_a_community(live_server, browser, world):
    _closed, always = stations_around_the_rider(world)
    context = phone(browser, position=None)
    page = context.new_page()
    page.goto(f"{live_server.url}/stations/")
    expect(page.locator("#locate-status")).not_to_be_empty()  # the refusal is explained
    page.get_by_test_id("community").select_option(label="博爱社区")
    expect(page.get_by_test_id("station").first).to_be_visible()
    expect(page.get_by_test_id("results")).to_contain_text(always.name)
    assert "community=" in page.url
    context.close()


# --- The care fund on a phone (part "carefund") ----------------------------------------------------


def _log_in(context, live_server, username):
    from tests.world import PASSWORD

    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def test_a_rider_finds_a_station_then_applies_to_the_care_fund_and_is_paid(
    live_server, browser, world, settings, tmp_path
):
    """Issue 6's flow on a phone: the rider finds the nearest open station, signs in and applies to
    the care fund with photos of the documents; the street reviews, a committee officer (another
    person) approves and records the payment; the rider sees "paid"."""
    from django.utils import translation

    from dangjian.care.models import CareApplication, CareCategory, CareDocumentKind
    from tests.care.fund_setup import PNG, setup_care, use_private_storage

    def zh(text) -> str:
        with translation.override("zh-hans"):
            return str(translation.gettext(str(text)))

    use_private_storage(settings, tmp_path)  # documents go to a temporary private storage
    care = setup_care(world)  # this year's funds; 符海燕's account (worker_b); committee officers
    _closed, always = stations_around_the_rider(world)
    accident = CareCategory.objects.get(kind="accident")

    rider = phone(browser)
    page = rider.new_page()
    expect(find_nearest_open_station(page, live_server)).to_contain_text(always.name)

    page = _log_in(rider, live_server, "worker_b")
    page.get_by_test_id("worker-care-links").get_by_role("link", name=zh("Apply for the care fund")).click()
    expect(page.get_by_role("heading", name=zh("Apply to the care fund"))).to_be_visible()
    page.get_by_label(zh("Category")).select_option(str(accident.pk))
    # The documents asked for follow the category (htmx swaps them in).
    for kind in accident.required_documents:
        expect(page.get_by_label(zh(CareDocumentKind(kind).label), exact=True)).to_be_visible()
    page.get_by_label(zh("Amount requested (yuan)")).fill("3000")
    page.get_by_label(zh("What happened")).fill("送货途中被电动车撞倒，右腿骨折住院，对方全责。")
    for kind in accident.required_documents:
        page.get_by_label(zh(CareDocumentKind(kind).label), exact=True).set_input_files(
            {"name": f"{kind}.png", "mimeType": "image/png", "buffer": PNG}
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=zh("Submit application")).click()
    expect(page.get_by_test_id("fund-status")).to_have_text(zh(CareApplication.Status.SUBMITTED.label))
    application = CareApplication.objects.get(person=care.person)
    assert application.documents.count() == len(accident.required_documents)
    expect(page.get_by_test_id("fund-documents").get_by_role("link")).to_have_count(3)
    detail = f"{live_server.url}/care/fund/{application.pk}/"

    # The street reviews (on a phone too).
    street = phone(browser, position=None)
    staff = _log_in(street, live_server, "street_b")
    staff.goto(detail)
    staff.get_by_role("radio", name=zh("Pass to the committee")).check()
    staff.get_by_test_id("review-form").get_by_label(zh("Reason")).fill("已电话核实，材料属实")
    staff.get_by_role("button", name=zh("Record the review")).click()
    expect(staff.get_by_test_id("fund-status")).to_have_text(zh(CareApplication.Status.REVIEWED.label))
    expect(staff.get_by_test_id("decision-form")).to_have_count(0)  # not the street's to decide
    street.close()

    # Another person, the committee's officer, approves and records the payment.
    committee = phone(browser, position=None)
    officer = _log_in(committee, live_server, "root_staff")
    officer.goto(detail)
    officer.get_by_role("radio", name=zh("Approve")).check()
    officer.get_by_test_id("decision-form").get_by_label(zh("Reason")).fill("符合意外救助条件")
    officer.get_by_role("button", name=zh("Record the decision")).click()
    expect(officer.get_by_test_id("fund-status")).to_have_text(zh(CareApplication.Status.APPROVED.label))
    officer.get_by_label(zh("Payment reference")).fill("GH2026-00001")
    officer.get_by_role("button", name=zh("Record the payment")).click()
    expect(officer.get_by_test_id("fund-status")).to_have_text(zh(CareApplication.Status.PAID.label))
    committee.close()

    # The rider follows it to "paid".
    page.goto(detail)
    expect(page.get_by_test_id("fund-status")).to_have_text(zh(CareApplication.Status.PAID.label))
    expect(page.get_by_test_id("fund-payment")).to_contain_text("3,000.00")
    reviewers = {d.step: d.decided_by.username for d in application.decisions.all()}
    assert reviewers == {"review": "street_b", "approval": "root_staff", "payment": "root_staff"}
    rider.close()
