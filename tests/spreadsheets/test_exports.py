import io

import pytest
from python_calamine import CalamineWorkbook

from dangjian.spreadsheets.models import ExportLog

pytestmark = pytest.mark.django_db


def _cells(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_unit_export_holds_the_scope_only_and_is_logged(client, world):
    client.force_login(world.users["street_a"])
    response = client.get("/units/export.xlsx", {"industry": "food_delivery"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = _cells(response)
    header_at = next(i for i, row in enumerate(rows) if "单位名称" in row)
    names = {row[0] for row in rows[header_at + 1 :]}
    assert names == {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"}
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows, log.filters) == (
        world.users["street_a"],
        "units",
        3,
        {"industry": "food_delivery"},
    )


def test_exported_text_cannot_become_a_formula(client, world):
    unit = world.units["shop_a"]
    unit.address = '=HYPERLINK("http://evil.example","点击")'
    unit.save()
    client.force_login(world.users["street_a"])
    rows = _cells(client.get("/units/export.xlsx"))
    addresses = [row[7] for row in rows if row and row[0] == "中山便民配送店"]
    assert addresses == ['\'=HYPERLINK("http://evil.example","点击")']


def test_an_export_reads_back_through_the_reader(client, world):
    """Export and import share the columns: what is exported can be edited and imported again."""
    from dangjian.spreadsheets.reader import read_sheet
    from dangjian.units.sheets import UNIT_SHEET

    client.force_login(world.users["street_a"])
    response = client.get("/units/export.xlsx")
    result = read_sheet("单位名录.xlsx", response.content, UNIT_SHEET)
    assert result.ok and not result.rejected_rows
    by_name = {row.values["name"]: row.values for row in result.valid_rows}
    assert by_name["甲外卖中山站"]["kind"] == "outlet"
    assert by_name["甲外卖中山站"]["industry"] == "food_delivery"
    assert by_name["甲外卖中山站"]["uscc"] == world.units["outlet_a"].uscc


def test_the_import_template_carries_the_unit_columns(client, world):
    from dangjian.spreadsheets.reader import read_sheet
    from dangjian.units.sheets import UNIT_SHEET

    client.force_login(world.users["street_a"])
    response = client.get("/units/template.xlsx")
    assert response.status_code == 200
    result = read_sheet("template.xlsx", response.content, UNIT_SHEET)
    assert result.ok and result.rows == [] and result.ignored_headers == []
