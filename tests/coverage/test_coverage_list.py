"""The coverage list (/coverage/units/): filters, scope, a constant number of queries, the export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dangjian.coverage.rules import CoverageStatus, Gap
from dangjian.spreadsheets.models import ExportLog
from dangjian.units.models import Unit
from tests.world import person, unit

pytestmark = pytest.mark.django_db
URL = reverse("coverage:units")


def _names(response) -> set[str]:
    return {u.name for u in response.context["page"].object_list}


def test_statuses_and_why(client, world):
    client.force_login(world.users["district_admin"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = {u.name: u for u in response.context["page"].object_list}
    assert rows["中山便民配送店"].coverage_status == "organizational"
    assert rows["中山便民配送店"].organization_name == "中山外卖联合党支部"
    assert rows["甲外卖总公司"].coverage_status == "work" and rows["甲外卖总公司"].instructor_name == "孙指导"
    assert rows["滨海快递网点"].coverage_status == "none"
    html = response.content.decode()
    assert "孙指导" in html and "中山外卖联合党支部" in html


def test_filters(client, world):
    client.force_login(world.users["district_admin"])
    assert _names(client.get(URL, {"status": "work"})) == {"甲外卖总公司"}
    assert _names(client.get(URL, {"status": "none", "street": world.street_b.pk})) == {
        "甲外卖滨海站",
        "滨海快递网点",
    }
    assert _names(client.get(URL, {"key_area": "delivery_station"})) == {"甲外卖中山站"}
    assert "甲外卖中山站" not in _names(client.get(URL, {"key_area": "none"}))
    assert _names(client.get(URL, {"industry": "express"})) == {"滨海快递网点"}
    # The courier at the express outlet is not a member; add one there: members, no organization.
    assert _names(client.get(URL, {"gap": "members_without_organization"})) == set()
    member = person("郑党员", works_at=world.units["express_b"])
    member.political_status = "full_member"
    member.save()
    assert _names(client.get(URL, {"gap": "members_without_organization"})) == {"滨海快递网点"}
    # Invalid filter values filter nothing rather than fail.
    assert len(_names(client.get(URL, {"status": "bogus"}))) == 6


def test_closed_units_are_left_out(client, world):
    client.force_login(world.users["district_admin"])
    Unit.objects.filter(pk=world.units["express_b"].pk).update(operating_status="deregistered")
    assert "滨海快递网点" not in _names(client.get(URL))


def test_scope(client, world):
    client.force_login(world.users["street_a"])
    assert _names(client.get(URL)) == {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"}
    client.force_login(world.users["liaison"])
    assert _names(client.get(URL)) == {"甲外卖总公司", "甲外卖中山站", "甲外卖滨海站"}
    client.force_login(world.users["worker"])
    assert _names(client.get(URL)) == set()


def test_htmx_returns_the_results_only(client, world):
    client.force_login(world.users["district_admin"])
    response = client.get(URL, {"status": "none"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="coverage-table"' in html and "<form" not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.users["district_admin"])
    few = _queries(client)
    for i in range(30):
        u = unit(f"新增网点{i}", world.street_a, kind=Unit.Kind.OUTLET)
        person(f"工人{i}", works_at=u)
    assert _queries(client) == few
    assert few <= 12


def test_export(client, world):
    client.force_login(world.users["street_a"])
    response = client.get(reverse("coverage:units_export"), {"status": "organizational"})
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    names = [row[0] for row in sheet[2:]]
    assert sorted(names) == ["中山便民配送店", "甲外卖中山站"]
    header = sheet[1]
    row = dict(zip(header, sheet[2], strict=True))
    assert (row["覆盖状态"], row["覆盖党组织"], row["党组织筹建中"]) == (
        str(CoverageStatus.ORGANIZATIONAL.label),
        "中山外卖联合党支部",
        "否",
    )
    assert row["存在问题"] == str(Gap.TERM_EXPIRED.label)  # its term ran out on 2025-01-01
    log = ExportLog.objects.get(user=world.users["street_a"])
    assert log.what == "coverage" and log.rows == 2 and log.filters == {"status": "organizational"}
