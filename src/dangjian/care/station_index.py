"""The finder's nearest-station search: an in-memory grid of the listed stations, one per process.

Stations are public, few (thousands at most) and rarely change, while the finder and its API are
asked constantly from phones. So each web process keeps the listed stations in a grid of square
cells (degrees of latitude and longitude) and answers "nearest" without a database query:

1. Walk rings of cells outward from the query's cell. After ring k every station outside the
   (2k+1)² block is at least ``bound`` metres away (the distance to the block's nearest edge:
   a parallel for latitude, a meridian — a great circle — for longitude), so once ``limit``
   matching stations lie within that bound, no station outside can be nearer.
2. Distances are exact haversine metres; filters (services offered, open at a moment) are
   applied to each candidate before it counts.
3. Far from every station (more rings than ``RING_LIMIT``) it scans all stations instead, so
   the answer is exact wherever the query is.

The grid assumes the stations do not straddle the ±180° meridian (they lie in one district).

Freshness: every write to a station (``care/stations.py``), and the demo loader, stores a new
version token in the shared cache; each request compares the token (one cache read) and
rebuilds the index from the database when it changed. A cache without the token (cleared, or a
new one) also rebuilds.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.db import transaction

from dangjian.care.station_rules import (
    EARTH_RADIUS_M,
    TZ,
    Closure,
    Hours,
    OpeningState,
    Period,
    local,
    open_checker,
    opening_state,
)

VERSION_KEY = "care:station-index:version"
RING_LIMIT = 64
# Cells sized so that an average occupied cell holds about this many stations.
STATIONS_PER_CELL = 1.5
MIN_CELL_DEGREES, MAX_CELL_DEGREES = 0.002, 1.0
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


@dataclass(slots=True, eq=False)
class Entry:
    id: int
    latitude: float
    longitude: float
    services: frozenset[str]
    hours: Hours
    street_id: int | None = None
    community_id: int | None = None
    data: dict = field(default_factory=dict)  # what the finder shows, built with the index
    json_head: str = ""  # ``data`` as JSON without its closing brace, for the API's answers
    # Precomputed for the haversine formula.
    phi: float = 0.0
    lam: float = 0.0
    cos_phi: float = 0.0

    def __post_init__(self):
        self.phi = math.radians(self.latitude)
        self.lam = math.radians(self.longitude)
        self.cos_phi = math.cos(self.phi)
        if self.data:
            self.json_head = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))[:-1]


@dataclass(slots=True)
class Found:
    distance_m: float
    entry: Entry


class StationIndex:
    def __init__(self, entries: Iterable[Entry], *, service_codes: Iterable[str] = (), version: str = ""):
        self.entries = list(entries)
        self.version = version
        self.service_codes = frozenset(service_codes)  # what the ``service`` filter may name
        self._minute: MinuteView | None = None
        self.cell = _cell_size(self.entries)
        self.grid: dict[tuple[int, int], list[Entry]] = defaultdict(list)
        for entry in self.entries:
            self.grid[self._cell_of(entry.latitude, entry.longitude)].append(entry)
        self.grid = dict(self.grid)
        if self.grid:
            rows = [i for i, _ in self.grid]
            columns = [j for _, j in self.grid]
            self.bounds = (min(rows), max(rows), min(columns), max(columns))
        else:
            self.bounds = (0, -1, 0, -1)

    def __len__(self):
        return len(self.entries)

    def _cell_of(self, latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / self.cell), math.floor(longitude / self.cell)

    def nearest(
        self,
        latitude: float,
        longitude: float,
        *,
        services: Iterable[str] = (),
        open_at=None,
        limit: int = 10,
    ) -> list[Found]:
        """The ``limit`` nearest stations offering all ``services`` (and open at ``open_at`` if
        given), nearest first; ties in distance by id."""
        if open_at is not None:
            # Searched among the stations open in that minute (their own grid, kept for the minute).
            return (
                self.at_minute(open_at)
                .open_index()
                .nearest(latitude, longitude, services=services, limit=limit)
            )
        if limit <= 0 or not self.grid:
            return []
        wanted = frozenset(services)
        phi, lam = math.radians(latitude), math.radians(longitude)
        cos_phi = math.cos(phi)
        sin, asin, sqrt, diameter = math.sin, math.asin, math.sqrt, 2 * EARTH_RADIUS_M

        def collect(entries, found):
            # The hot loop of every search: the filter first, then the haversine distance.
            for entry in entries:
                if wanted and not wanted <= entry.services:
                    continue
                a = (
                    sin((entry.phi - phi) / 2) ** 2
                    + cos_phi * entry.cos_phi * sin((entry.lam - lam) / 2) ** 2
                )
                found.append((diameter * asin(min(1.0, sqrt(a))), entry.id, entry))

        ci, cj = self._cell_of(latitude, longitude)
        low_i, high_i, low_j, high_j = self.bounds
        last_ring = max(ci - low_i, high_i - ci, cj - low_j, high_j - cj, 0)
        grid = self.grid
        found: list[tuple[float, int, Entry]] = []
        k = 0
        while True:
            if k > RING_LIMIT:
                # Far from every station: scan them all (exact, and rare).
                found = []
                collect(self.entries, found)
                break
            for cell in _ring(ci, cj, k):
                entries = grid.get(cell)
                if entries:
                    collect(entries, found)
            if k >= last_ring:
                break
            bound = self._bound(latitude, longitude, cos_phi, ci, cj, k)
            if len(found) >= limit and sum(1 for f in found if f[0] <= bound) >= limit:
                break
            k += 1
        found.sort(key=lambda f: (f[0], f[1]))
        return [Found(distance, entry) for distance, _id, entry in found[:limit]]

    def at_minute(self, at) -> MinuteView:
        """What holds for the whole minute of ``at``: which stations are open, each one's state.
        Opening times are whole minutes (seconds are dropped when the index is built), so the
        state of every station is the same throughout a minute."""
        minute = local(at).replace(second=0, microsecond=0)
        view = self._minute
        if view is None or view.minute != minute:
            view = self._minute = MinuteView(self, minute)
        return view

    def _bound(self, latitude, longitude, cos_phi, ci, cj, k) -> float:
        """Metres from the query point to the nearest edge of the block of rings 0..k."""
        cell = self.cell
        to_lat_edge = min(latitude - (ci - k) * cell, (ci + k + 1) * cell - latitude)
        to_lng_edge = min(longitude - (cj - k) * cell, (cj + k + 1) * cell - longitude)
        by_latitude = to_lat_edge * METRES_PER_DEGREE
        delta = math.radians(to_lng_edge)
        if delta >= math.pi / 2:
            by_longitude = math.inf
        else:
            # Distance from the point to a meridian: sin(d / R) = cos(phi) * sin(delta).
            by_longitude = EARTH_RADIUS_M * math.asin(min(1.0, cos_phi * math.sin(delta)))
        return min(by_latitude, by_longitude)


class MinuteView:
    """One minute of an index: the open stations' own grid (built on the first "open now"
    search of the minute) and each station's opening state and its JSON (worked out once)."""

    def __init__(self, index: StationIndex, minute: datetime.datetime):
        self.index = index
        self.minute = minute
        self.aware = minute.replace(tzinfo=TZ)
        self._open: StationIndex | None = None
        self._states: dict[int, OpeningState] = {}
        self._json: dict[tuple[int, str], str] = {}

    def open_index(self) -> StationIndex:
        if self._open is None:
            opened = open_checker(self.aware)
            self._open = StationIndex(
                (entry for entry in self.index.entries if opened(entry.hours)),
                service_codes=self.index.service_codes,
                version=self.index.version,
            )
        return self._open

    def state(self, entry: Entry) -> OpeningState:
        state = self._states.get(entry.id)
        if state is None:
            state = self._states[entry.id] = opening_state(entry.hours, self.aware)
        return state

    def state_json(self, entry: Entry, language: str, host_label: str) -> str:
        """The part of the station's JSON that depends on the minute and the language, as
        ``"key":value,...`` (no braces)."""
        key = (entry.id, language)
        text = self._json.get(key)
        if text is None:
            state = self.state(entry)
            varying = {
                "host_kind_label": host_label,
                "open_now": state.is_open,
                "open_around_the_clock": state.around_the_clock,
                "closes_at": state.closes_at.isoformat() if state.closes_at else None,
                "opens_at": state.opens_at.isoformat() if state.opens_at else None,
            }
            text = self._json[key] = json.dumps(varying, ensure_ascii=False, separators=(",", ":"))[1:-1]
        return text


def _ring(ci: int, cj: int, k: int):
    if k == 0:
        yield ci, cj
        return
    for j in range(cj - k, cj + k + 1):
        yield ci - k, j
        yield ci + k, j
    for i in range(ci - k + 1, ci + k):
        yield i, cj - k
        yield i, cj + k


def _cell_size(entries: list[Entry]) -> float:
    if len(entries) < 2:
        return MAX_CELL_DEGREES
    lats = [e.latitude for e in entries]
    lngs = [e.longitude for e in entries]
    area = max(max(lats) - min(lats), 1e-6) * max(max(lngs) - min(lngs), 1e-6)
    size = math.sqrt(area * STATIONS_PER_CELL / len(entries))
    return min(MAX_CELL_DEGREES, max(MIN_CELL_DEGREES, size))


# --- building the index from the database, and keeping it fresh ------------------------------------


def _minute(value: datetime.time | None) -> datetime.time | None:
    return value.replace(second=0, microsecond=0) if value is not None else None


def entries_from_database() -> list[Entry]:
    """The listed stations with their services, hours, closures and what the finder shows."""
    from dangjian.care.models import Station, StationClosure, StationPeriod, StationPhoto
    from dangjian.care.station_rules import route_links

    stations = list(
        Station.objects.filter(is_active=True)
        .select_related("street", "community")
        .only(
            "id",
            "name",
            "host_kind",
            "host_name",
            "address",
            "latitude",
            "longitude",
            "phone",
            "notes",
            "street__name",
            "community__name",
        )
        .order_by("id")
    )
    ids = [s.pk for s in stations]
    services = defaultdict(list)
    through = Station.services.through.objects.filter(station_id__in=ids, stationservice__active=True)
    for station_id, code, name in through.values_list(
        "station_id", "stationservice__code", "stationservice__name"
    ).order_by("stationservice__sort_order", "stationservice_id"):
        services[station_id].append((code, name))
    periods = defaultdict(list)
    for row in StationPeriod.objects.filter(station_id__in=ids).values_list(
        "station_id", "weekday", "opens", "closes", "all_day"
    ):
        periods[row[0]].append(Period(row[1], _minute(row[2]), _minute(row[3]), row[4]))
    closures = defaultdict(list)
    for station_id, start, end in StationClosure.objects.filter(station_id__in=ids).values_list(
        "station_id", "start_date", "end_date"
    ):
        closures[station_id].append(Closure(start, end))
    photos = defaultdict(list)
    for station_id, photo_id, caption in StationPhoto.objects.filter(station_id__in=ids).values_list(
        "station_id", "id", "caption"
    ):
        photos[station_id].append((photo_id, caption))

    entries = []
    for station in stations:
        latitude, longitude = float(station.latitude), float(station.longitude)
        offered = services.get(station.pk, [])
        entries.append(
            Entry(
                id=station.pk,
                latitude=latitude,
                longitude=longitude,
                services=frozenset(code for code, _ in offered),
                hours=Hours(tuple(periods.get(station.pk, ())), tuple(closures.get(station.pk, ()))),
                street_id=station.street_id,
                community_id=station.community_id,
                data={
                    "id": station.pk,
                    "name": station.name,
                    "host_kind": station.host_kind,
                    "host_name": station.host_name,
                    "address": station.address,
                    "street": station.street.name,
                    "community": station.community.name if station.community_id else "",
                    "latitude": latitude,
                    "longitude": longitude,
                    "phone": station.phone,
                    "notes": station.notes,
                    "services": [{"code": code, "name": name} for code, name in offered],
                    "photo_ids": [photo_id for photo_id, _ in photos.get(station.pk, ())],
                    "routes": route_links(latitude, longitude, station.name),
                },
            )
        )
    return entries


def build_index(*, version: str = "") -> StationIndex:
    from dangjian.care.models import StationService

    codes = StationService.objects.filter(active=True).values_list("code", flat=True)
    return StationIndex(entries_from_database(), service_codes=codes, version=version)


_lock = threading.Lock()
_current: StationIndex | None = None
# The version token is read from the cache at most this often per process (and at once when the
# cache itself was replaced, as between tests); a write in this process resets the clock.
CHECK_EVERY_SECONDS = 1.0
_checked = {"at": -math.inf, "cache": None}


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def get_index() -> StationIndex:
    """This process's index, rebuilt when a station changed since it was built (a change made in
    another process is seen within ``CHECK_EVERY_SECONDS``)."""
    global _current
    index = _current
    now = time.monotonic()
    backend = caches["default"]
    if index is not None and now - _checked["at"] < CHECK_EVERY_SECONDS and _checked["cache"] is backend:
        return index
    version = current_version()
    _checked["at"], _checked["cache"] = now, backend
    if index is not None and index.version == version and version:
        return index
    with _lock:
        if _current is None or _current.version != version or not version:
            _current = build_index(version=version)
        return _current


def invalidate() -> None:
    """Tell every process to rebuild: now, and again once the writing transaction has committed
    (a process that rebuilt in between would have read the rows as they were before)."""

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        _checked["at"] = -math.inf

    bump()
    transaction.on_commit(bump)
