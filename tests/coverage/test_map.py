"""The coverage map: scoped, bounded points (clusters past the limit), and no tiles needed."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.coverage import coverage_map
from dangjian.units.models import Unit

pytestmark = pytest.mark.django_db
POINTS = reverse("coverage:map_points")

# (unit key, latitude, longitude): street A around 20.03 N, street B around 20.00 N.
PLACES = [
    ("hq_a", 20.0300, 110.3300),
    ("outlet_a", 20.0310, 110.3320),
    ("shop_a", 20.0330, 110.3310),
    ("outlet_b", 20.0000, 110.3500),
    ("plain_b", 20.0010, 110.3520),
    ("express_b", 20.0020, 110.3540),
]


@pytest.fixture
def placed(world):
    for key, lat, lon in PLACES:
        Unit.objects.filter(pk=world.units[key].pk).update(
            latitude=Decimal(str(lat)), longitude=Decimal(str(lon))
        )
    return world


def _get(client, **params):
    response = client.get(POINTS, params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def _names(data):
    return {p[1] for p in data["points"]}


def test_points_are_scoped_and_coloured(client, placed):
    client.force_login(placed.users["street_a"])
    data = _get(client)
    assert data["mode"] == "points" and data["total"] == 3
    assert _names(data) == {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"}
    status = {p[1]: p[4] for p in data["points"]}
    assert status == {
        "甲外卖总公司": "work",
        "甲外卖中山站": "organizational",
        "中山便民配送店": "organizational",
    }
    client.force_login(placed.users["worker"])
    assert _get(client) == {"mode": "points", "total": 0, "points": []}


def test_bbox_and_filters(client, placed):
    client.force_login(placed.users["district_admin"])
    assert len(_get(client)["points"]) == 6
    assert _names(_get(client, bbox="19.99,110.34,20.01,110.36")) == {
        "甲外卖滨海站",
        "滨海直播工作室",
        "滨海快递网点",
    }
    assert len(_get(client, bbox="nonsense")["points"]) == 6  # an unreadable box is ignored
    assert len(_get(client, bbox="21,110,20,111")["points"]) == 6  # south above north: ignored
    assert _names(_get(client, status="none")) == {"甲外卖滨海站", "滨海快递网点"}
    assert _names(_get(client, street=placed.street_b.pk, industry="livestreaming")) == {"滨海直播工作室"}
    assert _names(_get(client, key_area="delivery_station")) == {"甲外卖中山站"}


def test_units_without_coordinates_are_not_drawn(client, placed):
    Unit.objects.filter(pk=placed.units["shop_a"].pk).update(latitude=None)
    client.force_login(placed.users["street_a"])
    assert _names(_get(client)) == {"甲外卖总公司", "甲外卖中山站"}


def test_clusters_past_the_limit(client, placed, monkeypatch):
    monkeypatch.setattr(coverage_map, "POINT_LIMIT", 4)
    client.force_login(placed.users["district_admin"])
    data = _get(client, bbox="19.9,110.2,20.1,110.5")
    assert data["mode"] == "clusters" and data["total"] == 6 and "points" not in data
    assert sum(c[2] for c in data["clusters"]) == 6
    assert len(data["clusters"]) <= coverage_map.GRID**2
    # The two streets lie 3 km apart: never in one cluster; per-status counts add up.
    assert len(data["clusters"]) >= 2
    for _lat, _lon, n, org, work, none in data["clusters"]:
        assert n == org + work + none
    assert sum(c[3] for c in data["clusters"]) == 3  # organizationally covered
    client.force_login(placed.users["street_a"])
    assert _get(client)["mode"] == "points"  # three units: under the limit


def _config(html):
    match = re.search(r'<script id="coverage-map-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_page_without_tiles_draws_streets(client, placed, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(placed.users["street_a"])
    html = client.get(reverse("coverage:map")).content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "coverage-map-plain" in html
    config = _config(html)
    assert config["tile_url"] == "" and config["points_url"] == POINTS
    streets = {s["name"]: s for s in config["background"]["streets"]}
    # The street's outline is the hull of its units the user may see (three points: a triangle).
    assert len(streets["中山街道"]["outline"]) == 3
    # Street B: none of its units is the user's, and it has no registered point: not drawn.
    assert "滨海街道" not in streets
    assert config["background"]["bounds"][0][0] <= 20.03


def test_page_with_tiles(client, placed, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client.force_login(placed.users["street_a"])
    html = client.get(reverse("coverage:map")).content.decode()
    assert _config(html)["tile_url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert "coverage-map-plain" not in html


def test_parse_bbox():
    assert coverage_map.parse_bbox("19.9,110.2,20.1,110.5") == (19.9, 110.2, 20.1, 110.5)
    for bad in ("", "1,2,3", "a,b,c,d", "nan,1,2,3", "-91,0,0,1", "0,1,1,1"):
        assert coverage_map.parse_bbox(bad) is None
