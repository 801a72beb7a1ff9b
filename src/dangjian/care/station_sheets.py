"""Red rider stations as spreadsheets: the station list and the check-in usage, for export."""

from dangjian.care.models import Station
from dangjian.care.station_rules import Hours, describe_week
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

STATION_SHEET = SheetSpec(
    name="红色骑手驿站",
    columns=(
        Column("name", "驿站名称"),
        Column(
            "host_kind",
            "依托场所类型",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Station.HostKind),
        ),
        Column("host_name", "依托场所名称"),
        Column("street", "所属街道（镇）"),
        Column("community", "社区"),
        Column("address", "地址"),
        Column("longitude", "经度", Kind.DECIMAL),
        Column("latitude", "纬度", Kind.DECIMAL),
        Column("services", "服务项目"),
        Column("hours", "开放时间"),
        Column("phone", "联系电话"),
        Column("listed", "对外公布", Kind.BOOLEAN),
    ),
)


def station_rows(stations):
    """One row per station; services and hours prefetched (two more queries, not one per row)."""
    for station in stations.prefetch_related("services", "periods"):
        hours = Hours(tuple(p.as_rule() for p in station.periods.all()))
        yield {
            "name": station.name,
            "host_kind": station.host_kind,
            "host_name": station.host_name,
            "street": station.street.name,
            "community": station.community.name if station.community_id else "",
            "address": station.address,
            "longitude": station.longitude,
            "latitude": station.latitude,
            "services": "、".join(s.name for s in station.services.all()),
            "hours": "；".join(f"{days} {times}" for days, times in describe_week(hours)),
            "phone": station.phone,
            "listed": station.is_active,
        }


USAGE_SHEET = SheetSpec(
    name="驿站签到统计",
    columns=(
        Column("name", "驿站名称"),
        Column("street", "所属街道（镇）"),
        Column("check_ins", "签到人次", Kind.INTEGER),
        Column("last_check_in", "最近签到时间"),
    ),
)


def usage_rows(stations):
    from django.utils import timezone

    for station in stations:
        last = station.last_check_in
        yield {
            "name": station.name,
            "street": station.street.name,
            "check_ins": station.check_in_total,
            "last_check_in": timezone.localtime(last).strftime("%Y-%m-%d %H:00") if last else "",
        }
