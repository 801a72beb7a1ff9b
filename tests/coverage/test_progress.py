"""The campaign's progress page: live counts this month, snapshots before, scope, drill-down, export."""

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from dangjian.core.choices import Industry
from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.progress import progress
from dangjian.coverage.snapshots import add_months, month_start
from dangjian.regions.models import Region
from tests.security import test_scope as security
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db
URL = reverse("coverage:progress")


def _snapshot(month, street, industry, *, units, org, work, key_area=""):
    return CoverageSnapshot.objects.create(
        month=month,
        taken_on=month,
        street=street,
        industry=industry,
        key_area=key_area,
        units=units,
        org_covered=org,
        work_covered=work,
        not_covered=units - org - work,
    )


@pytest.fixture
def last_month():
    return add_months(month_start(timezone.localdate()), -1)


def test_live_counts_by_street(world):
    result = progress(world.users["district_admin"], dimension="street")
    rows = {row.label: row for row in result.rows}
    assert set(rows) == {"中山街道", "滨海街道"}
    a, b = rows["中山街道"], rows["滨海街道"]
    assert (a.counts["units"], a.counts["org_covered"], a.counts["work_covered"]) == (3, 2, 1)
    assert (b.counts["units"], b.counts["org_covered"], b.counts["not_covered"]) == (3, 1, 2)
    assert a.org_rate == 66.7 and a.work_rate == 100.0
    assert result.total.counts["units"] == 6 and result.total.org_rate == 50.0
    # Drill-down: the coverage list of the street, by status.
    assert a.org_url == f"/coverage/units/?street={world.street_a.pk}&status=organizational"
    assert result.total.list_url == "/coverage/units/"


def test_by_industry_and_key_area(world):
    rows = progress(world.users["district_admin"], dimension="industry").rows
    # In the order of the industry list, labelled in the user's language.
    assert [(r.key, r.counts["units"]) for r in rows] == [
        ("express", 1),
        ("food_delivery", 4),
        ("livestreaming", 1),
    ]
    assert rows[0].label == str(Industry.EXPRESS.label)
    rows = progress(world.users["district_admin"], dimension="key_area").rows
    assert [(r.key, r.counts["units"]) for r in rows] == [("delivery_station", 1), ("", 5)]
    assert rows[1].url() == "/coverage/units/?key_area=none"  # units in no key area


def test_months_come_from_snapshots_in_scope(world, last_month):
    _snapshot(last_month, world.street_a, "food_delivery", units=3, org=1, work=1)
    _snapshot(last_month, world.street_b, "express", units=2, org=0, work=0)
    town = Region.objects.get(name="新坡镇")
    _snapshot(last_month, town, "other", units=9, org=9, work=0)

    district = progress(world.users["district_admin"], dimension="street")
    assert district.months[-2] == last_month and len(district.months) == 12
    assert {district.labels[k]: v["units"] for k, v in district.history[last_month].items()} == {
        "中山街道": 3,
        "滨海街道": 2,
        "新坡镇": 9,
    }
    street_a = progress(world.users["street_a"], dimension="street")
    assert {street_a.labels[k]: v["units"] for k, v in street_a.history[last_month].items()} == {
        "中山街道": 3
    }
    committee = progress(world.users["committee_staff"], dimension="industry")
    assert list(committee.history[last_month]) == ["express"]  # the industry the committee leads
    for persona in ("branch_secretary", "liaison", "worker"):
        assert progress(world.users[persona]).history[last_month] == {}


def test_page_chart_data_and_export(client, world, last_month):
    _snapshot(last_month, world.street_a, "food_delivery", units=3, org=1, work=1)
    client.force_login(world.users["street_a"])
    response = client.get(URL, {"dimension": "street"})
    assert response.status_code == 200
    html = response.content.decode()
    data = json.loads(
        re.search(
            r'<script id="coverage-progress-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert [g["label"] for g in data["groups"]] == ["中山街道"]
    assert data["groups"][0]["urls"]["none"] == f"/coverage/units/?street={world.street_a.pk}&status=none"
    assert data["months"][-1] == f"{month_start(timezone.localdate()):%Y-%m}"
    assert data["total"]["org_rate"][-2:] == [33.3, 66.7]  # last month's snapshot, then live
    assert data["total"]["org_rate"][0] is None  # no snapshot that month
    assert "vendor/echarts/echarts.min.js" in html and "js/coverage_progress.js" in html

    export = client.get(reverse("coverage:progress_export"), {"dimension": "street"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    rows = [dict(zip(sheet[1], row, strict=True)) for row in sheet[2:]]
    assert [(r["月份"], r["分组"], r["单位数"]) for r in rows if r["分组"] == "中山街道"] == [
        (f"{last_month:%Y-%m}", "中山街道", 3),
        (f"{month_start(timezone.localdate()):%Y-%m}", "中山街道", 3),
    ]


def test_snapshots_outside_the_scope_change_nothing(client, world, last_month):
    """The differential check of tests/security, for snapshot rows (the world has none): every
    persona's progress pages, before and after rows outside its scope are added."""
    _snapshot(last_month, world.street_a, "food_delivery", units=3, org=1, work=1)
    _snapshot(last_month, world.street_b, "express", units=2, org=0, work=0)
    urls = [
        URL,
        f"{URL}?dimension=industry",
        f"{URL}?dimension=key_area",
        reverse("coverage:progress_export"),
    ]

    def render_all():
        pages = {}
        for persona in PERSONAS:
            client.force_login(world.users[persona])
            pages[persona] = [security._normalized(client.get(url)) for url in urls]
        return pages

    before = render_all()
    town = Region.objects.get(name="新坡镇")
    _snapshot(last_month, town, "other", units=9, org=9, work=0)
    _snapshot(last_month, None, "freight", units=4, org=0, work=0)
    after = render_all()
    for persona in PERSONAS:
        if persona == "district_admin":
            assert before[persona] != after[persona]  # the check can fail
        else:
            assert before[persona] == after[persona], persona
