"""Demo red rider stations for Longhua: about forty, in party-and-public service centres, office
buildings, communities and property sites of every street and town, with varied opening hours
(round the clock, daytime, meal times, an overnight shift), a few holiday closures and four weeks
of check-ins. Deterministic from the seed; written with bulk_create. Names of buildings and
estates are invented."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from dangjian.care import station_index
from dangjian.care.models import (
    Station,
    StationCheckIn,
    StationClosure,
    StationPeriod,
    StationService,
)
from dangjian.care.station_rules import Closure, Hours, Period, is_open
from dangjian.care.stations import sync_station_services
from dangjian.core.demo import data
from dangjian.regions.models import Region

SEED_OFFSET = 9_009  # measure 9: a stream of its own, so other parts' data stay as they are
CHECK_IN_DAYS = 28

# Stations per township: the streets (dense, many riders) get more than the towns.
PER_STREET, PER_TOWN = 5, 2

BUILDINGS = (
    "海口国贸大厦",
    "金龙商务中心",
    "世贸广场",
    "复兴城互联网大厦",
    "海垦广场",
    "大同国际",
    "金盘科技园A座",
    "滨海国际金融中心",
    "明珠商业城",
    "南海大厦",
)
ESTATES = (
    "椰海花园",
    "金盘花园",
    "滨海新城",
    "海岸华府",
    "龙昆雅苑",
    "金宇城",
    "玉沙苑",
    "丘海名苑",
    "西苑小区",
    "城西家园",
)
NOTES = (
    "进门右手边，可免费加热饭菜",
    "楼下设有电动车停放区",
    "夜间请按门铃",
    "",
    "",
    "提供雨衣借用",
)

# (name, weight, periods)
HOURS = (
    ("around the clock", 4, lambda: [Period(d, all_day=True) for d in range(7)]),
    ("daytime", 6, lambda: [Period(d, _t(8), _t(20)) for d in range(7)]),
    ("long day", 5, lambda: [Period(d, _t(7), _t(22)) for d in range(7)]),
    (
        "office week",
        4,
        lambda: [Period(d, _t(8, 30), _t(18)) for d in range(5)] + [Period(d, _t(9), _t(17)) for d in (5, 6)],
    ),
    (
        "meal times",
        3,
        lambda: [p for d in range(7) for p in (Period(d, _t(10, 30), _t(14)), Period(d, _t(16, 30), _t(21)))],
    ),
    ("night shift", 2, lambda: [Period(d, _t(20), _t(2)) for d in range(7)]),
    ("late", 3, lambda: [Period(d, _t(9), _t(23, 30)) for d in range(7)]),
)
# Riders drop in around the meal rushes.
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 1, 2, 3, 3, 3, 5, 9, 10, 7, 4, 4, 6, 9, 10, 7, 4, 3, 2, 1]


def _t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def _service_codes(rng: random.Random, host_kind: str) -> list[str]:
    chances = {
        "water": 0.98,
        "rest": 0.95,
        "charging": 0.85,
        "shelter": 0.8,
        "hot_meals": 0.65,
        "medical_kit": 0.7,
        "toilet": 0.6 if host_kind != Station.HostKind.SERVICE_CENTRE else 0.95,
        "air_conditioning": 0.6,
        "wifi": 0.5,
        "repair_tools": 0.35,
        "reading": 0.3 if host_kind != Station.HostKind.SERVICE_CENTRE else 0.8,
    }
    return [code for code, chance in chances.items() if rng.random() < chance]


def _plans(rng: random.Random):
    """(township, community name, host kind, host name, station name, road) for each station."""
    plans = []
    buildings, estates = list(BUILDINGS), list(ESTATES)
    rng.shuffle(buildings)
    rng.shuffle(estates)
    for township in data.TOWNSHIPS:
        count = PER_STREET if township.kind == "street" else PER_TOWN
        communities = list(township.communities)
        rng.shuffle(communities)
        kinds = [Station.HostKind.SERVICE_CENTRE, Station.HostKind.COMMUNITY]
        kinds += rng.sample(
            [
                Station.HostKind.OFFICE_BUILDING,
                Station.HostKind.PROPERTY_SITE,
                Station.HostKind.COMMUNITY,
                Station.HostKind.OTHER,
                Station.HostKind.OFFICE_BUILDING,
            ],
            count - 2,
        )
        for n, kind in enumerate(kinds[:count]):
            community = communities[n % len(communities)]
            road = rng.choice(township.roads)
            if kind == Station.HostKind.SERVICE_CENTRE:
                host = f"{township.name}党群服务中心"
                name = f"{township.short}党群服务中心红色骑手驿站"
            elif kind == Station.HostKind.COMMUNITY:
                host = f"{community[0]}党群服务站"
                name = f"{community[0]}红色骑手驿站"  # 博爱社区… / 苍西村…
            elif kind == Station.HostKind.OFFICE_BUILDING:
                host = buildings.pop() if buildings else f"{road}商务楼"
                name = f"{host}红色骑手驿站"
            elif kind == Station.HostKind.PROPERTY_SITE:
                estate = estates.pop() if estates else f"{township.short}花园"
                host = f"{estate}物业服务中心"
                name = f"{estate}红色骑手驿站"
            else:
                host = f"{road}便民服务点"
                name = f"{road}爱心驿站"
            plans.append((township, community, kind, host, name, road))
    return plans


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    rng = random.Random(seed + SEED_OFFSET)
    sync_station_services()
    services = {s.code: s for s in StationService.objects.all()}
    regions = {
        (r.parent.name if r.parent_id else "", r.name): r for r in Region.objects.select_related("parent")
    }
    today = timezone.localdate()

    stations, hours_of, service_rows = [], [], []
    names = set()
    for township, (community_name, latitude, longitude), kind, host, name, road in _plans(rng):
        street = regions.get((data.DISTRICT_NAME, township.name))
        if street is None:
            continue  # a demo without this township
        community = regions.get((township.name, community_name))
        while name in names:
            name = name.replace("红色骑手驿站", "二号红色骑手驿站")
        names.add(name)
        _label, _weight, make = rng.choices(HOURS, weights=[h[1] for h in HOURS])[0]
        if kind == Station.HostKind.SERVICE_CENTRE and rng.random() < 0.5:
            make = HOURS[0][2]  # service centres are often open around the clock
        stations.append(
            Station(
                name=name,
                host_kind=kind,
                host_name=host,
                address=f"海口市龙华区{road}{rng.randint(1, 188)}号" + ("" if kind == "community" else host),
                street=street,
                community=community,
                latitude=Decimal(f"{latitude + rng.uniform(-0.004, 0.004):.6f}"),
                longitude=Decimal(f"{longitude + rng.uniform(-0.004, 0.004):.6f}"),
                phone=f"0898-6{rng.randint(5000000, 9999999)}" if rng.random() < 0.8 else "",
                notes=rng.choice(NOTES),
            )
        )
        hours_of.append(make())
        service_rows.append(_service_codes(rng, kind))
    Station.objects.bulk_create(stations)

    periods, memberships, closures = [], [], []
    through = Station.services.through
    for station, week, codes in zip(stations, hours_of, service_rows, strict=True):
        periods += [
            StationPeriod(
                station=station, weekday=p.weekday, opens=p.opens, closes=p.closes, all_day=p.all_day
            )
            for p in week
        ]
        memberships += [through(station=station, stationservice=services[c]) for c in codes if c in services]
    # A few closures: one station shut today for repairs, one next week, one last month.
    picks = rng.sample(range(len(stations)), k=min(3, len(stations)))
    plans = [
        (today, today + datetime.timedelta(days=2), "内部装修"),
        (today + datetime.timedelta(days=5), today + datetime.timedelta(days=7), "设备检修"),
        (today - datetime.timedelta(days=30), today - datetime.timedelta(days=28), "节假日闭站"),
    ]
    for index, (start, end, reason) in zip(picks, plans, strict=False):
        closures.append(
            StationClosure(station=stations[index], start_date=start, end_date=end, reason=reason)
        )
    StationPeriod.objects.bulk_create(periods)
    through.objects.bulk_create(memberships)
    StationClosure.objects.bulk_create(closures)

    # Check-ins over the last four weeks, in the hours each station was open.
    check_ins = []
    closures_of = {c.station_id: [] for c in closures}
    for c in closures:
        closures_of[c.station_id].append(Closure(c.start_date, c.end_date))
    for station, week in zip(stations, hours_of, strict=True):
        hours = Hours(tuple(week), tuple(closures_of.get(station.pk, ())))
        busy = rng.uniform(0.3, 1.6)
        for day in range(CHECK_IN_DAYS, 0, -1):
            date = today - datetime.timedelta(days=day)
            for hour, weight in enumerate(HOUR_WEIGHTS):
                moment = datetime.datetime.combine(date, datetime.time(hour, 30))
                if not is_open(hours, moment):
                    continue
                count = sum(1 for _ in range(weight) if rng.random() < 0.25 * busy)
                if count:
                    check_ins.append(
                        StationCheckIn(
                            station=station,
                            hour=timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour))),
                            count=count,
                        )
                    )
    StationCheckIn.objects.bulk_create(check_ins, batch_size=5_000)
    station_index.invalidate()
    if stdout is not None:
        stdout.write(f"  red rider stations: {len(stations)}, check-in hours: {len(check_ins)}")
    return {
        "care.Station": len(stations),
        "care.StationPeriod": len(periods),
        "care.StationClosure": len(closures),
        "care.StationCheckIn": len(check_ins),
    }
