"""Red rider stations: the public finder, and the staff pages with their scope rules."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from dangjian.care.models import Station, StationPeriod, StationPhoto
from dangjian.care.station_rules import TZ, every_day
from dangjian.core.models import AuditEvent
from dangjian.regions.models import Region
from tests.world import add_station

pytestmark = pytest.mark.django_db

T = datetime.time
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded photos go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def noon(monkeypatch):
    from django.utils import timezone

    moment = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=TZ)  # a Monday
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def station(name: str) -> Station:
    return Station.objects.get(name=name)


# --- the public finder ------------------------------------------------------------------------------


def test_the_finder_needs_no_login_and_lists_nothing_before_a_position_is_known(client, world):
    response = client.get("/stations/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="finder"' in body
    assert "中山党群服务中心驿站" not in body
    assert "博爱社区" in body  # the communities to start from when the location is refused
    # Light: no Bootstrap JavaScript, no htmx, and the map library is not loaded up front.
    assert "bootstrap.bundle" not in body and "htmx" not in body and 'leaflet.js"></script>' not in body
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in body


def test_the_finder_lists_the_nearest_stations_to_the_phone(client, world, noon):
    add_station(
        "夜班驿站", world.street_a, latitude=20.0445, longitude=110.3485, periods=every_day(T(20), T(2))
    )
    response = client.get("/stations/", {"lat": "20.0440", "lng": "110.3480", "show": "all"})
    body = response.content.decode()
    assert body.index("中山党群服务中心驿站") < body.index("夜班驿站") < body.index("滨海社区驿站")
    assert "https://uri.amap.com/marker?position=110.348000,20.044000" in body
    open_only = client.get(
        "/stations/", {"lat": "20.0440", "lng": "110.3480", "show": "open"}
    ).content.decode()
    assert "中山党群服务中心驿站" in open_only and "夜班驿站" not in open_only


def test_the_finder_starts_from_a_community_and_filters_by_service(client, world, noon):
    boai = Region.objects.get(name="博爱社区")
    boai.latitude, boai.longitude = 20.0440, 110.3480
    boai.save()
    body = client.get("/stations/", {"community": boai.pk, "show": "all"}).content.decode()
    assert "博爱社区" in body and "中山党群服务中心驿站" in body
    charging = client.get("/stations/", {"community": boai.pk, "service": "charging"}).content.decode()
    assert "滨海社区驿站" in charging and "中山党群服务中心驿站" not in charging


def test_the_finder_fragment_is_just_the_results(client, world, noon):
    response = client.get("/stations/", {"lat": "20.044", "lng": "110.348", "fragment": "results"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results-body"')
    assert "<html" not in body and "中山党群服务中心驿站" in body


def test_unlisted_stations_are_not_on_the_finder(client, world, noon):
    add_station("未公布驿站", world.street_a, latitude=20.044, longitude=110.348, is_active=False)
    body = client.get("/stations/", {"lat": "20.044", "lng": "110.348", "show": "all"}).content.decode()
    assert "未公布驿站" not in body


def test_public_photos_only_of_listed_stations(client, world):
    from dangjian.care.stations import add_photo, set_listed

    station_a = station("中山党群服务中心驿站")
    photo = add_photo(actor=None, station=station_a, upload=SimpleUploadedFile("a.png", PNG, "image/png"))
    response = client.get(f"/stations/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    set_listed(actor=None, station=station_a, listed=False)
    assert client.get(f"/stations/photos/{photo.pk}/").status_code == 404


# --- staff pages and scope ------------------------------------------------------------------------


def test_street_staff_see_and_manage_their_own_streets_stations_only(client, world):
    client.force_login(world.users["street_a"])
    body = client.get("/care/stations/").content.decode()
    assert "中山党群服务中心驿站" in body and "滨海社区驿站" not in body
    own, other = station("中山党群服务中心驿站"), station("滨海社区驿站")
    assert client.get(f"/care/stations/{own.pk}/").status_code == 200
    assert client.get(f"/care/stations/{other.pk}/").status_code == 404
    assert client.get(f"/care/stations/{other.pk}/edit/").status_code == 404
    assert client.post(f"/care/stations/{other.pk}/listing/", {"listed": "no"}).status_code == 404
    assert station("滨海社区驿站").is_active


@pytest.mark.parametrize("persona", ["committee_staff", "branch_secretary", "liaison", "worker"])
def test_other_roles_manage_no_stations(client, world, persona):
    client.force_login(world.users[persona])
    assert "中山党群服务中心驿站" not in client.get("/care/stations/").content.decode()
    assert client.get("/care/stations/new/").status_code == 403
    assert client.get(f"/care/stations/{station('中山党群服务中心驿站').pk}/").status_code == 404


def _form(street, **overrides):
    data = {
        "name": "博爱社区新驿站",
        "host_kind": "community",
        "host_name": "博爱社区党群服务站",
        "street": street.pk,
        "community": Region.objects.get(name="博爱社区").pk,
        "address": "海口市龙华区博爱北路1号",
        "latitude": "20.045100",
        "longitude": "110.348200",
        "services": ["water", "charging"],
        "phone": "66123456",
        "notes": "",
        "is_active": "on",
    }
    for day in range(7):
        data.update({f"d{day}_mode": "hours", f"d{day}_opens": "20:00", f"d{day}_closes": "02:00"})
    data.update(overrides)
    return data


def _service_pks(codes):
    from dangjian.care.models import StationService

    return [s.pk for s in StationService.objects.filter(code__in=codes)]


def test_street_staff_add_a_station_with_overnight_hours(client, world):
    client.force_login(world.users["street_a"])
    data = _form(world.street_a, services=_service_pks(["water", "charging"]))
    data.update({"d6_mode": "all_day", "d5_mode": "closed"})
    response = client.post("/care/stations/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = station("博爱社区新驿站")
    assert created.phone == "0898-66123456"  # a local number gets Haikou's area code
    assert {s.code for s in created.services.all()} == {"water", "charging"}
    periods = StationPeriod.objects.filter(station=created)
    assert periods.count() == 6
    assert periods.get(weekday=6).all_day
    assert periods.get(weekday=0).closes == T(2)
    events = AuditEvent.objects.filter(object_id=created.pk, content_type__model="station")
    assert {e.action for e in events} == {"created", "updated"}
    assert any("periods" in e.changes for e in events) and any("services" in e.changes for e in events)
    detail = client.get(f"/care/stations/{created.pk}/").content.decode()
    assert "20:00–02:00" in detail


def test_street_staff_cannot_add_a_station_in_another_street(client, world):
    client.force_login(world.users["street_a"])
    data = _form(world.street_b, services=_service_pks(["water"]), community="")
    response = client.post("/care/stations/new/", data)
    assert response.status_code == 200
    assert not Station.objects.filter(name="博爱社区新驿站").exists()


def test_the_station_form_refuses_overlapping_hours_and_bad_phones(client, world):
    client.force_login(world.users["street_a"])
    overlapping = _form(world.street_a, services=_service_pks(["water"]), d1_opens="01:00", d1_closes="05:00")
    body = client.post("/care/stations/new/", overlapping).content.decode()
    assert not Station.objects.filter(name="博爱社区新驿站").exists()
    assert "alert-danger" in body
    bad_phone = _form(world.street_a, services=_service_pks(["water"]), phone="12345")
    client.post("/care/stations/new/", bad_phone)
    assert not Station.objects.filter(name="博爱社区新驿站").exists()
    wrong_community = _form(
        world.street_a, services=_service_pks(["water"]), community=Region.objects.get(name="滨海社区").pk
    )
    client.post("/care/stations/new/", wrong_community)
    assert not Station.objects.filter(name="博爱社区新驿站").exists()


def test_closures_are_added_and_removed_by_the_stations_street(client, world):
    own = station("中山党群服务中心驿站")
    client.force_login(world.users["street_a"])
    response = client.post(
        f"/care/stations/{own.pk}/closures/new/",
        {"start_date": "2026-10-01", "end_date": "2026-10-03", "reason": "国庆闭站"},
    )
    assert response.status_code == 302
    closure = own.closures.get(reason="国庆闭站")
    client.force_login(world.users["street_b"])
    assert client.post(f"/care/stations/closures/{closure.pk}/remove/").status_code == 404
    client.force_login(world.users["street_a"])
    assert client.post(f"/care/stations/closures/{closure.pk}/remove/").status_code == 302
    assert not own.closures.filter(reason="国庆闭站").exists()
    backwards = client.post(
        f"/care/stations/{own.pk}/closures/new/", {"start_date": "2026-10-03", "end_date": "2026-10-01"}
    )
    assert backwards.status_code == 200 and not own.closures.filter(start_date="2026-10-03").exists()


def test_photos_are_checked_by_content_and_size(client, world):
    own = station("中山党群服务中心驿站")
    client.force_login(world.users["street_a"])
    ok = client.post(
        f"/care/stations/{own.pk}/photos/new/", {"image": SimpleUploadedFile("a.png", PNG), "caption": "门口"}
    )
    assert ok.status_code == 302
    photo = StationPhoto.objects.get(station=own)
    assert photo.content_type == "image/png" and photo.caption == "门口"
    assert client.get(f"/care/stations/photos/{photo.pk}/").status_code == 200
    fake = SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", "image/jpeg")
    assert client.post(f"/care/stations/{own.pk}/photos/new/", {"image": fake}).status_code == 200
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")
    assert client.post(f"/care/stations/{own.pk}/photos/new/", {"image": big}).status_code == 200
    assert StationPhoto.objects.filter(station=own).count() == 1
    client.force_login(world.users["street_b"])
    assert client.get(f"/care/stations/photos/{photo.pk}/").status_code == 404
    assert client.post(f"/care/stations/photos/{photo.pk}/remove/").status_code == 404
    client.force_login(world.users["street_a"])
    assert client.post(f"/care/stations/photos/{photo.pk}/remove/").status_code == 302
    assert not StationPhoto.objects.filter(pk=photo.pk).exists()


def test_the_export_holds_the_users_stations_only(client, world):
    client.force_login(world.users["street_b"])
    response = client.get("/care/stations/export.xlsx")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    text = repr(rows)
    assert "滨海社区驿站" in text and "中山党群服务中心驿站" not in text
    assert "饮用水" in text


def test_the_district_sees_every_station_and_the_list_filters(client, world):
    client.force_login(world.users["district_admin"])
    body = client.get("/care/stations/").content.decode()
    assert "中山党群服务中心驿站" in body and "滨海社区驿站" in body
    charging = client.get("/care/stations/", {"service": "charging"}).content.decode()
    assert "滨海社区驿站" in charging and "中山党群服务中心驿站" not in charging


def test_navigation_lists_the_station_pages(client, world):
    client.force_login(world.users["street_a"])
    body = client.get("/care/stations/").content.decode()
    for url in ("/care/stations/", "/care/stations/usage/", "/stations/"):
        assert f'href="{url}"' in body
