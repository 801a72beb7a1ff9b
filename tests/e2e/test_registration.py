"""On a phone: a rider registers, discloses membership, lands on their home; the street sees the follow-up."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from dangjian.people.models import DisclosureFollowUp, Person
from tests.world import PASSWORD, make_id_number, make_mobile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def zh(message: str) -> str:
    """The interface text for a source string (Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def test_a_rider_registers_on_a_phone_and_the_street_sees_the_follow_up(live_server, browser, world):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    id_number, mobile = make_id_number("19980720"), make_mobile()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name=zh("New worker? Register here")).click()
    expect(page.get_by_role("heading", name=zh("Entry registration"))).to_be_visible()

    page.get_by_label(zh("Full name")).fill("吴亮身份")
    page.get_by_label("身份证号码").fill(id_number)
    page.get_by_label("手机号码").fill(mobile)
    # The unit search: one character finds nothing, two or more list operating units by name.
    search = page.get_by_label(zh("Type at least two characters of your unit's name, then pick it below."))
    search.fill("便")
    expect(page.get_by_test_id("unit-results").get_by_role("radio")).to_have_count(0)
    search.fill("便民")
    choice = page.get_by_role("radio", name="中山便民配送店（中山街道）")
    expect(choice).to_be_visible()
    choice.check()
    page.get_by_label(zh("Job type")).select_option(label="外卖骑手")
    page.get_by_role("radio", name="全职").check()
    page.get_by_label(zh("Date you started at this unit")).fill("2025-10-08")
    # Disclosure is voluntary and explained on the form.
    expect(page.get_by_text(re.compile("亮明党员身份出于自愿"))).to_be_visible()
    page.get_by_role("radio", name="正式党员").check()
    page.get_by_label(zh("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(zh("Password again")).fill(PASSWORD)
    # Everything fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=zh("Register")).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="吴亮身份，您好")).to_be_visible()
    person = Person.objects.get(name="吴亮身份")
    follow_up = DisclosureFollowUp.objects.get(person=person)
    record = page.get_by_test_id("my-record")
    expect(record).to_contain_text(person.masked_id_number)
    expect(record).not_to_contain_text(id_number)
    notice = page.get_by_test_id("follow-up")
    expect(notice).to_contain_text("中山外卖联合党支部")
    expect(notice).to_contain_text(follow_up.due_on.strftime("%Y-%m-%d"))
    assert follow_up.due_on > timezone.localdate()
    context.close()

    # Street staff of the unit's street find the follow-up on their list.
    staff = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("用户名").fill("street_a")
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    expect(staff.get_by_test_id("follow-ups-open")).to_have_text("2")  # with the world's own
    staff.get_by_test_id("follow-up-figure").click()
    row = staff.get_by_test_id(f"follow-up-{follow_up.pk}")
    expect(row).to_contain_text("吴亮身份")
    expect(row).to_contain_text("中山便民配送店")
    expect(row).to_contain_text("中山外卖联合党支部")
