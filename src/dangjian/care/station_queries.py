"""Reads for red rider stations: staff lists through the scope; the public finder's reads.

Staff pages read through ``visible_to`` (the street a station is in). The public finder reads the
listed stations only, from the in-memory index (``station_index``), and never anything else.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Prefetch, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from dangjian.accounts.scope import visible_to
from dangjian.care.models import (
    Station,
    StationCheckIn,
    StationClosure,
    StationPeriod,
    StationPhoto,
    StationService,
)
from dangjian.care.station_index import Found, get_index
from dangjian.care.station_rules import Hours, OpeningState, describe_week
from dangjian.regions.models import Region

# --- staff ---------------------------------------------------------------------------------------


def visible_stations(user):
    return visible_to(user, Station.objects.all())


def station_list(user, *, text="", street_id=None, service="", host_kind="", listed=""):
    stations = visible_stations(user).select_related("street", "community").prefetch_related("services")
    if text:
        stations = stations.filter(
            Q(name__icontains=text) | Q(address__icontains=text) | Q(host_name__icontains=text)
        )
    if street_id:
        stations = stations.filter(street_id=street_id)
    if service:
        stations = stations.filter(services__code=service)
    if host_kind:
        stations = stations.filter(host_kind=host_kind)
    if listed in ("yes", "no"):
        stations = stations.filter(is_active=listed == "yes")
    return stations.order_by("street__path", "name", "id")


def station_detail(user, pk: int) -> Station:
    return get_object_or_404(
        visible_stations(user)
        .select_related("street", "community")
        .prefetch_related(
            "services",
            Prefetch("periods", queryset=StationPeriod.objects.order_by("weekday", "opens", "id")),
            Prefetch("closures", queryset=StationClosure.objects.order_by("-start_date", "id")),
            "photos",
        ),
        pk=pk,
    )


def closure_detail(user, pk: int) -> StationClosure:
    return get_object_or_404(visible_to(user, StationClosure.objects.select_related("station")), pk=pk)


def photo_detail(user, pk: int) -> StationPhoto:
    return get_object_or_404(visible_to(user, StationPhoto.objects.select_related("station")), pk=pk)


def hours_of(station: Station) -> Hours:
    """The station's hours from its prefetched periods and closures."""
    return Hours(
        tuple(p.as_rule() for p in station.periods.all()), tuple(c.as_rule() for c in station.closures.all())
    )


def active_services():
    return StationService.objects.filter(active=True)


def station_counts(user):
    """Visible stations, listed and not, for the list's heading."""
    return visible_stations(user).aggregate(total=Count("id"), listed=Count("id", filter=Q(is_active=True)))


# --- check-in usage (staff) ------------------------------------------------------------------------


def _check_ins(user, *, since: datetime.date, until: datetime.date, street_id=None, station=None):
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = visible_to(user, StationCheckIn.objects.filter(hour__gte=start, hour__lt=end))
    if street_id:
        rows = rows.filter(station__street_id=street_id)
    if station is not None:
        rows = rows.filter(station=station)
    return rows


def usage_by_station(user, *, since, until, street_id=None):
    """Check-ins per visible station in the period (stations without any included), busiest first."""
    window = Q(
        check_ins__hour__gte=timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    ) & Q(
        check_ins__hour__lt=timezone.make_aware(
            datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min)
        )
    )
    stations = visible_stations(user)
    if street_id:
        stations = stations.filter(street_id=street_id)
    return (
        stations.select_related("street")
        .annotate(check_in_total=Sum("check_ins__count", filter=window, default=0))
        .annotate(last_check_in=Max("check_ins__hour"))
        .order_by("-check_in_total", "street__path", "name", "id")
    )


def usage_by_hour_of_day(user, *, since, until, street_id=None, station=None) -> list[int]:
    """Check-ins per hour of the day (0–23, local time) in the period, summed in SQL."""
    rows = (
        _check_ins(user, since=since, until=until, street_id=street_id, station=station)
        .annotate(local_hour=ExtractHour("hour"))
        .values("local_hour")
        .annotate(total=Sum("count"))
        .order_by()
    )
    counts = [0] * 24
    for row in rows:
        counts[row["local_hour"]] = row["total"]
    return counts


def usage_by_day(user, *, since, until, station=None, street_id=None) -> list[tuple[datetime.date, int]]:
    rows = (
        _check_ins(user, since=since, until=until, street_id=street_id, station=station)
        .annotate(day=TruncDate("hour"))
        .values("day")
        .annotate(total=Sum("count"))
        .order_by()
    )
    totals = {row["day"]: row["total"] for row in rows}
    days = (until - since).days + 1
    return [
        (since + datetime.timedelta(days=n), totals.get(since + datetime.timedelta(days=n), 0))
        for n in range(days)
    ]


# --- the public finder -----------------------------------------------------------------------------


@dataclass
class Nearby:
    """One station on the finder: what the index holds, its distance and its state now."""

    data: dict
    distance_m: float
    state: OpeningState
    hours: Hours
    at: datetime.datetime
    entry: object = None  # the index's entry (station_index.Entry)

    @property
    def distance_text(self) -> str:
        if self.distance_m < 1000:
            return f"{round(self.distance_m)} m"
        return f"{self.distance_m / 1000:.1f} km"

    def week(self):
        return describe_week(self.hours)

    def opens_text(self) -> str:
        """When a closed station opens: "today 20:00", "tomorrow 08:00" or "10-08 08:00"."""
        opens = self.state.opens_at
        if opens is None:
            return ""
        opens = timezone.localtime(opens)
        days = (opens.date() - timezone.localtime(self.at).date()).days
        if days == 0:
            return _("today %(time)s") % {"time": f"{opens:%H:%M}"}
        if days == 1:
            return _("tomorrow %(time)s") % {"time": f"{opens:%H:%M}"}
        return f"{opens:%m-%d %H:%M}"


def nearest(
    latitude: float, longitude: float, *, services=(), open_now=False, limit=10, at=None, index=None
) -> list[Nearby]:
    """The listed stations nearest the point, with their state at ``at`` (default now)."""
    at = at or timezone.now()
    index = index or get_index()
    found: list[Found] = index.nearest(
        latitude, longitude, services=services, open_at=at if open_now else None, limit=limit
    )
    minute = index.at_minute(at)
    return [
        Nearby(f.entry.data, f.distance_m, minute.state(f.entry), f.entry.hours, at, f.entry) for f in found
    ]


def listed_station_count() -> int:
    return len(get_index())


def communities_for_finder():
    """The communities, by street: where a worker without location can start from."""
    return (
        Region.objects.filter(kind=Region.Kind.COMMUNITY)
        .select_related("parent")
        .order_by("parent__path", "path")
    )


def community_position(community_pk) -> tuple[Region, float, float] | None:
    """Where to search from for a community: its own point, else the middle of its listed
    stations, else its street's point; None if none of them is known."""
    try:
        community = Region.objects.select_related("parent").get(
            pk=int(community_pk), kind=Region.Kind.COMMUNITY
        )
    except (Region.DoesNotExist, TypeError, ValueError):
        return None
    if community.latitude is not None and community.longitude is not None:
        return community, float(community.latitude), float(community.longitude)
    middle = Station.objects.filter(community=community, is_active=True).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if middle["latitude"] is not None:
        return community, float(middle["latitude"]), float(middle["longitude"])
    street = community.parent
    if street is not None and street.latitude is not None and street.longitude is not None:
        return community, float(street.latitude), float(street.longitude)
    return None


def public_photo(pk: int) -> StationPhoto:
    """A photo of a listed station (the finder shows them); anything else is 404."""
    return get_object_or_404(StationPhoto.objects.filter(station__is_active=True), pk=pk)


def station_for_check_in(pk: int, code: str) -> Station:
    """The listed station whose poster carries ``code``; a wrong or old code is 404, so check-ins
    come from the poster on site, not from guessing station numbers."""
    station = get_object_or_404(
        Station.objects.filter(is_active=True).select_related("street", "community"), pk=pk
    )
    if not code or not constant_time_compare(code, station.check_in_code):
        raise Http404
    return station
