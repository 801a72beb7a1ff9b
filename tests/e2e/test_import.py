"""In a real browser: upload a registration sheet with errors, read the row errors in Chinese,
download the rows with errors, fix them, upload the fixed file, confirm, and see it imported."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dangjian.people.models import Person
from tests.spreadsheets.files import TITLE, Text, xlsx
from tests.spreadsheets.test_writer import first_sheet
from tests.world import PASSWORD, make_id_number, make_mobile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(page, name: str, data: bytes) -> None:
    page.get_by_label("表格文件").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})
    page.get_by_role("button", name="检查文件").click()


def test_fix_and_reupload_a_sheet_with_errors(live_server, page, world):
    good_id, bad_id = make_id_number(), "460106199001011235"
    sheet = xlsx(
        [
            [TITLE],
            ["姓名", "身份证号码", "手机号码", "单位名称", "岗位类型", "入职日期"],
            ["好骑手", Text(good_id), Text(make_mobile()), "中山便民配送店", "外卖骑手", "2025年6月1日"],
            ["错号码", Text(bad_id), Text(make_mobile()), "中山便民配送店", "快递员", "2025.6.2"],
        ]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("street_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("link", name="表格导入").first.click()
    page.get_by_test_id("importer-registration").get_by_role("link", name="上传表格").click()
    upload(page, "入职登记.xlsx", sheet)

    counts = page.get_by_test_id("import-counts")
    expect(counts.locator("[data-count=new]")).to_have_text("1")
    expect(counts.locator("[data-count=rejected]")).to_have_text("1")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("4")  # the row number as Excel shows it
    expect(problems).to_contain_text("身份证号码")
    expect(problems).to_contain_text("校验")  # why, in Chinese

    with page.expect_download() as download_info:
        page.get_by_test_id("error-report").click()
    report = first_sheet(Path(download_info.value.path()).read_bytes())
    header, bad_row = report[0], report[1]
    assert bad_row[header.index("身份证号*")] == bad_id and header[-1] == "错误说明"

    # Fix the one cell in the report and upload the report itself.
    fixed_id = make_id_number()
    bad_row[header.index("身份证号*")] = fixed_id
    fixed = xlsx(
        [header, [Text(cell) if i == header.index("身份证号*") else cell for i, cell in enumerate(bad_row)]]
    )
    page.goto(f"{live_server.url}/imports/new/?kind=registration")
    upload(page, "入职登记-已改.xlsx", fixed)
    expect(counts.locator("[data-count=new]")).to_have_text("1")
    expect(counts.locator("[data-count=rejected]")).to_have_text("0")
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-status")).to_contain_text("已导入")
    assert Person.objects.get(name="错号码").id_number == fixed_id
    assert not Person.objects.filter(name="好骑手").exists()  # the first upload was never confirmed
