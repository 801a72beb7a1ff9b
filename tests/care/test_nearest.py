"""The nearest-station search and its API: the grid index against a brute-force search over
10,000 random stations (with the services and open-now filters), and the API's answers and errors."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from dangjian.care import station_index
from dangjian.care.models import Station, StationClosure, StationPeriod, StationService
from dangjian.care.station_index import Entry, StationIndex
from dangjian.care.station_queries import nearest
from dangjian.care.station_rules import TZ, Closure, Hours, Period, every_day, haversine_m, is_open
from dangjian.regions.models import Region
from tests.world import add_station

T = datetime.time
# Longhua District, roughly: the coast in the north to the towns in the south.
LAT_RANGE, LNG_RANGE = (19.78, 20.07), (110.26, 110.43)
SERVICE_CODES = ["water", "hot_meals", "rest", "shelter", "charging", "toilet", "medical_kit"]
HOUR_PATTERNS = [
    every_day(),
    every_day(T(8), T(20)),
    every_day(T(20), T(2)),
    tuple(Period(day, T(9), T(17)) for day in range(5)),
    tuple(p for day in range(7) for p in (Period(day, T(10, 30), T(14)), Period(day, T(16, 30), T(21)))),
]
MOMENTS = [
    datetime.datetime(2026, 3, 2, 12, 0, tzinfo=TZ),  # Monday noon
    datetime.datetime(2026, 3, 4, 1, 30, tzinfo=TZ),  # Wednesday night
    datetime.datetime(2026, 3, 7, 15, 0, tzinfo=TZ),  # Saturday afternoon
]
TODAY_CLOSED = Closure(datetime.date(2026, 3, 1), datetime.date(2026, 3, 8))


def brute_force(rows, latitude, longitude, *, services=(), open_at=None, limit=10):
    """Every station's distance, filtered, sorted: the answer the index must give."""
    wanted = set(services)
    found = []
    for row in rows:
        if wanted and not wanted <= row["services"]:
            continue
        if open_at is not None and not row["open"][open_at]:
            continue
        found.append((haversine_m(latitude, longitude, row["lat"], row["lng"]), row["id"]))
    found.sort()
    return found[:limit]


def queries(rng, rows, n):
    """Query points: random ones in and around the district, on stations, and far away."""
    points = [(rng.uniform(19.70, 20.15), rng.uniform(110.18, 110.50)) for _ in range(n)]
    points += [(row["lat"], row["lng"]) for row in rng.sample(rows, 5)]
    points += [(39.9042, 116.4074), (0.0, 0.0), (-33.86, 151.21), (20.03, 110.32)]
    return points


def compare(index, rows, rng, n_queries):
    checked = 0
    for latitude, longitude in queries(rng, rows, n_queries):
        services = rng.sample(SERVICE_CODES, rng.choice([0, 0, 1, 2]))
        open_at = rng.choice([None, *MOMENTS])
        limit = rng.choice([1, 5, 10, 50])
        expected = brute_force(rows, latitude, longitude, services=services, open_at=open_at, limit=limit)
        found = index(latitude, longitude, services=services, open_at=open_at, limit=limit)
        assert [item_id for _, item_id in expected] == [item_id for _, item_id in found], (
            latitude,
            longitude,
            services,
            open_at,
            limit,
        )
        for (expected_m, _), (found_m, _) in zip(expected, found, strict=True):
            assert found_m == pytest.approx(expected_m, abs=0.01)
        checked += 1
    return checked


def random_rows(rng, n):
    rows = []
    for pk in range(1, n + 1):
        rows.append(
            {
                "id": pk,
                "lat": round(rng.uniform(*LAT_RANGE), 6),
                "lng": round(rng.uniform(*LNG_RANGE), 6),
                "services": set(rng.sample(SERVICE_CODES, rng.randint(0, 5))),
                "pattern": rng.randrange(len(HOUR_PATTERNS)),
                "closed": rng.random() < 0.05,
            }
        )
    # Whether each station is open at each moment: the hours repeat, so work it out per kind.
    open_at = {}
    for row in rows:
        closures = (TODAY_CLOSED,) if row["closed"] else ()
        row["hours"] = Hours(HOUR_PATTERNS[row["pattern"]], closures)
        key = (row["pattern"], row["closed"])
        if key not in open_at:
            open_at[key] = {moment: is_open(row["hours"], moment) for moment in MOMENTS}
        row["open"] = open_at[key]
    return rows


def test_the_grid_index_matches_a_brute_force_search_in_memory():
    rng = random.Random(20260302)
    rows = random_rows(rng, 10_000)
    # Two stations at the same spot: ties go by id.
    rows[1]["lat"], rows[1]["lng"] = rows[0]["lat"], rows[0]["lng"]
    index = StationIndex(
        Entry(r["id"], r["lat"], r["lng"], frozenset(r["services"]), r["hours"]) for r in rows
    )

    def search(latitude, longitude, **kwargs):
        return [(f.distance_m, f.entry.id) for f in index.nearest(latitude, longitude, **kwargs)]

    assert compare(search, rows, rng, n_queries=200) == 209
    assert [f.entry.id for f in index.nearest(rows[0]["lat"], rows[0]["lng"], limit=2)] == [1, 2]


def test_small_and_empty_indexes():
    assert StationIndex([]).nearest(20.0, 110.3) == []
    one = StationIndex([Entry(7, 20.0, 110.3, frozenset({"water"}), Hours(every_day()))])
    assert [f.entry.id for f in one.nearest(-45.0, -170.0)] == [7]
    assert one.nearest(20.0, 110.3, services=["toilet"]) == []
    assert one.nearest(20.0, 110.3, limit=0) == []


@pytest.mark.django_db
def test_the_index_built_from_the_database_matches_a_brute_force_search():
    """10,000 stations written to the database (with services, hours and closures); the finder's
    search must return exactly what checking every station would."""
    rng = random.Random(9009)
    street = Region.objects.create(name="中山街道", kind=Region.Kind.STREET, parent=_district())
    rows = random_rows(rng, 10_000)
    services = {s.code: s for s in StationService.objects.filter(code__in=SERVICE_CODES)}
    stations = Station.objects.bulk_create(
        [
            Station(
                name=f"驿站{row['id']}",
                host_kind=Station.HostKind.COMMUNITY,
                address="海口市龙华区",
                street=street,
                latitude=Decimal(f"{row['lat']:.6f}"),
                longitude=Decimal(f"{row['lng']:.6f}"),
                is_active=row["id"] % 50 != 0,  # some not listed: never found
            )
            for row in rows
        ],
        batch_size=2_000,
    )
    through = Station.services.through
    memberships, periods, closures = [], [], []
    for station, row in zip(stations, rows, strict=True):
        row["id"] = station.pk
        memberships += [through(station=station, stationservice=services[c]) for c in row["services"]]
        periods += [
            StationPeriod(
                station=station, weekday=p.weekday, opens=p.opens, closes=p.closes, all_day=p.all_day
            )
            for p in HOUR_PATTERNS[row["pattern"]]
        ]
        if row["closed"]:
            closures.append(
                StationClosure(station=station, start_date=TODAY_CLOSED.start, end_date=TODAY_CLOSED.end)
            )
    through.objects.bulk_create(memberships, batch_size=5_000)
    StationPeriod.objects.bulk_create(periods, batch_size=5_000)
    StationClosure.objects.bulk_create(closures)
    station_index.invalidate()
    listed = [row for row, station in zip(rows, stations, strict=True) if station.is_active]

    def search(latitude, longitude, *, services, open_at, limit):
        found = nearest(
            latitude,
            longitude,
            services=services,
            open_now=open_at is not None,
            limit=limit,
            at=open_at or MOMENTS[0],
        )
        return [(item.distance_m, item.data["id"]) for item in found]

    assert compare(search, listed, rng, n_queries=80) == 89


def _district():
    return Region.objects.create(name="龙华区", kind=Region.Kind.DISTRICT)


# --- the API -------------------------------------------------------------------------------------


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def stations(world):
    """The world's two stations, plus one open at night only, one not listed and one far away."""
    night = add_station(
        "夜班驿站",
        world.street_a,
        latitude=20.0442,
        longitude=110.3482,
        periods=every_day(T(20), T(2)),
        services=("water", "charging", "hot_meals"),
    )
    hidden = add_station(
        "未公布驿站", world.street_a, latitude=20.04395, longitude=110.34795, is_active=False
    )
    far = add_station("龙泉驿站", world.street_b, latitude=19.88, longitude=110.38)
    return {"night": night, "hidden": hidden, "far": far}


@pytest.mark.django_db
def test_nearest_api_is_public_and_answers_distance_and_state(client, world, stations, time_machine_noon):
    response = client.get("/api/stations/nearest", {"lat": "20.0440", "lng": "110.3480", "limit": "3"})
    assert response.status_code == 200
    body = response.json()
    names = [s["name"] for s in body["stations"]]
    assert names == ["中山党群服务中心驿站", "夜班驿站", "滨海社区驿站"]
    assert "未公布驿站" not in names  # not listed
    first = body["stations"][0]
    assert first["distance_m"] == 0
    assert first["open_now"] is True and first["closes_at"] is None  # open around the clock
    assert first["routes"]["amap"].startswith("https://uri.amap.com/marker?position=110.348000,20.044000")
    assert first["routes"]["geo"].startswith("geo:20.044000,110.348000")
    assert {s["code"] for s in first["services"]} == {"water", "rest"}
    night = body["stations"][1]
    assert night["open_now"] is False and night["opens_at"].startswith("2026-03-02T20:00:00")
    assert 10 < night["distance_m"] < 40
    far = client.get("/api/stations/nearest", {"lat": "19.88", "lng": "110.38", "limit": "1"}).json()
    (far,) = far["stations"]
    assert far["name"] == "龙泉驿站" and far["closes_at"].startswith("2026-03-02T20:00:00")


@pytest.mark.django_db
def test_nearest_api_filters_by_service_and_open_now(client, world, stations, time_machine_noon):
    def names(**params):
        response = client.get("/api/stations/nearest", {"lat": "20.0440", "lng": "110.3480", **params})
        assert response.status_code == 200, response.content
        return [s["name"] for s in response.json()["stations"]]

    assert names(service="charging") == ["夜班驿站", "滨海社区驿站"]
    assert names(service="charging,hot_meals") == ["夜班驿站"]
    assert "夜班驿站" not in names(open_now="true")
    assert names(open_now="true", service="charging") == ["滨海社区驿站"]
    assert names(limit="1") == ["中山党群服务中心驿站"]
    # Far from everything the nearest are still found.
    beijing = client.get("/api/stations/nearest", {"lat": "39.9", "lng": "116.4", "limit": "1"}).json()
    listed = Station.objects.filter(is_active=True)
    expected = min(listed, key=lambda s: haversine_m(39.9, 116.4, float(s.latitude), float(s.longitude)))
    assert beijing["stations"][0]["name"] == expected.name


@pytest.mark.django_db
def test_nearest_api_refuses_bad_input_with_clear_messages(client, world):
    def errors(**params):
        response = client.get("/api/stations/nearest", params)
        assert response.status_code == 400
        return response.json()["errors"]

    assert set(errors()) == {"lat", "lng"}
    problems = errors(lat="91", lng="abc", limit="51", open_now="maybe", service="water,sauna")
    assert set(problems) == {"lat", "lng", "limit", "open_now", "service"}
    assert "sauna" in problems["service"]
    assert errors(lat="nan", lng="110")["lat"]
    assert errors(lat="20", lng="110", limit="0")["limit"]
    with translation.override("zh-hans"):
        chinese = client.get("/api/stations/nearest", {"lat": "x"}).json()
    assert chinese["detail"] == zh("Check the query parameters.")


@pytest.mark.django_db
def test_the_index_follows_changes_to_stations(client, world, stations, time_machine_noon):
    from dangjian.care.stations import save_station, set_listed

    def first():
        return client.get(
            "/api/stations/nearest", {"lat": "20.04395", "lng": "110.34795", "limit": "1"}
        ).json()

    assert first()["stations"][0]["name"] == "中山党群服务中心驿站"
    set_listed(actor=world.users["street_a"], station=stations["hidden"], listed=True)
    assert first()["stations"][0]["name"] == "未公布驿站"
    hidden = stations["hidden"]
    hidden.latitude, hidden.longitude = Decimal("19.9"), Decimal("110.3")
    save_station(actor=world.users["street_a"], station=hidden)
    assert first()["stations"][0]["name"] == "中山党群服务中心驿站"


@pytest.fixture
def time_machine_noon(monkeypatch):
    """Monday 2 March 2026, 12:00 in Shanghai, for the API's "now"."""
    from django.utils import timezone

    noon = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return noon
