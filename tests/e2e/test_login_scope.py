"""In a real browser: street staff log in through the Chinese interface and see only their street."""

import re

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_street_staff_sees_own_units_only(live_server, page, world):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill("street_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="概览")).to_be_visible()
    page.get_by_role("link", name="单位", exact=True).first.click()
    table = page.get_by_test_id("unit-table")
    for name in ("甲外卖中山站", "中山便民配送店", "甲外卖总公司"):
        expect(table.get_by_role("link", name=name)).to_be_visible()
    for name in ("甲外卖滨海站", "滨海直播工作室", "滨海快递网点"):
        expect(table.get_by_text(name)).to_have_count(0)

    # The htmx filter narrows the list without a full page load.
    page.get_by_label("搜索").fill("便民")
    expect(table.get_by_role("link")).to_have_count(1)
    expect(table.get_by_role("link", name="中山便民配送店")).to_be_visible()


def test_wrong_password_is_refused_in_chinese(live_server, page, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("street_a")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")


def test_switch_to_english_and_back(live_server, page, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
