"""Check-ins at red rider stations: the poster's code, one count per phone and hour, the rate
limit, counts per station and hour, and the usage pages for staff."""

import datetime
import re
import threading

import pytest
from django.db import connection

from dangjian.care.models import Station, StationCheckIn
from dangjian.care.station_rules import TZ
from dangjian.care.stations import record_check_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def station_a(world):
    return Station.objects.get(name="中山党群服务中心驿站")


def url(station, code=None):
    return f"/stations/{station.pk}/check-in/?code={station.check_in_code if code is None else code}"


def count(station) -> int:
    return sum(StationCheckIn.objects.filter(station=station).values_list("count", flat=True))


def test_the_poster_code_opens_the_check_in_page(client, station_a):
    assert client.get(f"/stations/{station_a.pk}/check-in/").status_code == 404
    assert client.get(url(station_a, "wrong-code")).status_code == 404
    response = client.get(url(station_a))
    assert response.status_code == 200
    assert station_a.name in response.content.decode()
    assert count(station_a) == 1  # the world's one; looking does not count


def test_a_check_in_counts_once_per_phone_and_hour(client, station_a, django_user_model):
    from django.test import Client

    before = count(station_a)
    response = client.post(url(station_a))
    assert response.status_code == 200 and 'data-testid="checked-in"' in response.content.decode()
    assert count(station_a) == before + 1
    client.post(url(station_a))  # a second tap on the same phone
    assert count(station_a) == before + 1
    Client().post(url(station_a))  # another phone
    assert count(station_a) == before + 2
    hour = StationCheckIn.objects.filter(station=station_a).latest("hour")
    assert hour.hour.minute == 0 and hour.hour.second == 0 and hour.count == 2


def test_check_ins_from_one_network_are_rate_limited(client, station_a, settings):
    from django.test import Client

    from dangjian.care import station_views

    settings.DEBUG = False
    before = count(station_a)
    limit = station_views.CHECK_INS_PER_ADDRESS_10_MINUTES
    statuses = [Client(REMOTE_ADDR="10.1.2.3").post(url(station_a)).status_code for _ in range(limit + 2)]
    assert statuses[:limit] == [200] * limit and statuses[limit:] == [429, 429]
    assert count(station_a) == before + limit
    assert Client(REMOTE_ADDR="10.9.9.9").post(url(station_a)).status_code == 200


def test_unlisted_stations_and_old_codes_take_no_check_ins(client, world, station_a):
    from dangjian.care.stations import new_check_in_code_for, set_listed

    old = station_a.check_in_code
    new_check_in_code_for(actor=world.users["street_a"], station=station_a)
    assert client.post(url(station_a, old)).status_code == 404
    assert client.post(url(station_a)).status_code == 200
    set_listed(actor=world.users["street_a"], station=station_a, listed=False)
    assert client.post(url(station_a)).status_code == 404


def test_check_ins_are_counted_per_local_hour(station_a):
    StationCheckIn.objects.filter(station=station_a).delete()
    record_check_in(station=station_a, at=datetime.datetime(2026, 3, 2, 12, 5, tzinfo=TZ))
    record_check_in(station=station_a, at=datetime.datetime(2026, 3, 2, 12, 59, tzinfo=TZ))
    record_check_in(station=station_a, at=datetime.datetime(2026, 3, 2, 5, 10, tzinfo=datetime.UTC))  # 13:10
    rows = list(
        StationCheckIn.objects.filter(station=station_a).order_by("hour").values_list("hour", "count")
    )
    assert [(h.astimezone(TZ).hour, n) for h, n in rows] == [(12, 2), (13, 1)]


def test_the_poster_carries_the_check_in_url_and_a_qr_code(client, world, station_a):
    client.force_login(world.users["street_a"])
    poster = client.get(f"/care/stations/{station_a.pk}/poster/").content.decode()
    assert f"/stations/{station_a.pk}/check-in/?code={station_a.check_in_code}" in poster
    svg = client.get(f"/care/stations/{station_a.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert re.search(rb"<svg[^>]+xmlns=\"http://www.w3.org/2000/svg\"", svg.content)
    client.force_login(world.users["street_b"])
    assert client.get(f"/care/stations/{station_a.pk}/qr.svg").status_code == 404


def test_usage_is_summed_per_station_and_hour_of_day_for_the_street(client, world, station_a):
    station_b = Station.objects.get(name="滨海社区驿站")
    for hour, n in ((12, 3), (18, 2)):
        for _ in range(n):
            record_check_in(station=station_a, at=datetime.datetime(2026, 3, 2, hour, 10, tzinfo=TZ))
    record_check_in(station=station_b, at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ))
    client.force_login(world.users["street_a"])
    response = client.get("/care/stations/usage/", {"since": "2026-03-01", "until": "2026-03-03"})
    body = response.content.decode()
    assert response.context["total"] == 5
    assert response.context["by_hour"][12] == 3 and response.context["by_hour"][18] == 2
    assert response.context["by_hour"][9] == 0  # 滨海's check-in is not the street's
    assert "中山党群服务中心驿站" in body and "滨海社区驿站" not in body
    client.force_login(world.users["district_admin"])
    district = client.get("/care/stations/usage/", {"since": "2026-03-01", "until": "2026-03-03"})
    assert district.context["total"] == 6
    export = client.get("/care/stations/usage/export.xlsx", {"since": "2026-03-01", "until": "2026-03-03"})
    assert export.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_are_all_counted(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL (SQLite serializes them); CI runs this on PostgreSQL")
    station = Station.objects.get(name="中山党群服务中心驿站")
    moment = datetime.datetime(2026, 3, 2, 12, 30, tzinfo=TZ)
    barrier = threading.Barrier(8)

    def tap():
        try:
            barrier.wait()
            for _ in range(10):
                record_check_in(station=station, at=moment)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert StationCheckIn.objects.get(station=station, hour=moment.replace(minute=0)).count == 80
