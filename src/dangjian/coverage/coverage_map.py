"""The map of units coloured by coverage status (measure 4): bounded point sets for Leaflet.

The page loads points for the visible box only (``bbox``). Up to ``POINT_LIMIT`` units in the box
come as points; beyond that they come as grid clusters computed in SQL (at most ``GRID`` x ``GRID``
cells, each with its counts per status), so a district of 50,000 units never sends 50,000 rows.
Everything is in the user's scope. Without map tiles (no ``DANGJIAN_MAP_TILE_URL``, or offline) the
page draws a plain background: each street's label at its registered point and the outline
(convex hull) of the street's units the user may see.
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Avg, Count, F, FloatField, Max, Min, Q
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _

from dangjian.coverage.queries import PREPARING, annotate_coverage, campaign_units, in_area
from dangjian.coverage.rules import CoverageStatus
from dangjian.regions.models import townships

POINT_LIMIT = 1500
GRID = 40
# Haikou's centre: where the map opens when no unit has coordinates.
DEFAULT_CENTRE = (20.03, 110.33)


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """``south,west,north,east`` in degrees (Leaflet's ``toBBoxString`` is west,south,east,north:
    the page sends this order); None when missing or not a sensible box."""
    try:
        south, west, north, east = (float(part) for part in text.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        return None
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        return None
    return south, west, north, east


def _units(user, *, street_id=None, industry: str = "", key_area: str = ""):
    units = campaign_units(user).filter(latitude__isnull=False, longitude__isnull=False)
    return in_area(units, street_id=street_id, industry=industry, key_area=key_area)


def points(
    user,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    street_id=None,
    industry: str = "",
    key_area: str = "",
    status: str = "",
    on: datetime.date | None = None,
    limit: int | None = None,
) -> dict:
    limit = POINT_LIMIT if limit is None else limit
    units = _units(user, street_id=street_id, industry=industry, key_area=key_area)
    if bbox is not None:
        south, west, north, east = bbox
        units = units.filter(latitude__range=(south, north), longitude__range=(west, east))
    units = annotate_coverage(units, on=on)
    if status == PREPARING:
        units = units.filter(org_preparing=True)
    elif status in CoverageStatus.values:
        units = units.filter(coverage_status=status)
    total = units.count()
    if total <= limit:
        rows = units.order_by("pk").values_list(
            "pk", "name", "latitude", "longitude", "coverage_status", "org_preparing"
        )
        return {
            "mode": "points",
            "total": total,
            "points": [[pk, name, float(lat), float(lon), st, prep] for pk, name, lat, lon, st, prep in rows],
        }
    if bbox is None:
        box = units.aggregate(
            south=Min("latitude"), north=Max("latitude"), west=Min("longitude"), east=Max("longitude")
        )
        south, west, north, east = (float(box[k]) for k in ("south", "west", "north", "east"))
    cell = max(north - south, east - west, 1e-6) / GRID
    lat, lon = Cast(F("latitude"), FloatField()), Cast(F("longitude"), FloatField())
    clusters = (
        units.annotate(gy=Floor((lat - south) / cell), gx=Floor((lon - west) / cell))
        .order_by()
        .values("gy", "gx")
        .annotate(
            n=Count("id"),
            org=Count("id", filter=Q(coverage_status=CoverageStatus.ORGANIZATIONAL)),
            work=Count("id", filter=Q(coverage_status=CoverageStatus.WORK)),
            none=Count("id", filter=Q(coverage_status=CoverageStatus.NONE)),
            lat=Avg(lat),
            lon=Avg(lon),
        )
    )
    return {
        "mode": "clusters",
        "total": total,
        "clusters": [
            [round(c["lat"], 6), round(c["lon"], 6), c["n"], c["org"], c["work"], c["none"]] for c in clusters
        ],
    }


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise, of (lat, lon) pairs."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def background(user) -> dict:
    """What the page draws with no tiles: street labels, outlines of their units, the bounds.

    Coordinates are rounded to about 100 m in SQL before the hull is taken, so a district of
    50,000 units reads a few thousand distinct points."""
    units = campaign_units(user).filter(latitude__isnull=False, longitude__isnull=False, street__isnull=False)
    rounded = (
        units.annotate(
            rlat=Floor(Cast(F("latitude"), FloatField()) * 1000),
            rlon=Floor(Cast(F("longitude"), FloatField()) * 1000),
        )
        .order_by()
        .values_list("street_id", "rlat", "rlon")
        .distinct()
    )
    by_street: dict[int, list[tuple[float, float]]] = {}
    for street_id, rlat, rlon in rounded:
        by_street.setdefault(street_id, []).append((rlat / 1000, rlon / 1000))
    streets = []
    all_points = [p for pts in by_street.values() for p in pts]
    for street in townships().order_by("path"):
        outline = [[round(a, 4), round(b, 4)] for a, b in _hull(by_street.get(street.pk, []))]
        label = (
            [float(street.latitude), float(street.longitude)]
            if street.latitude is not None and street.longitude is not None
            else None
        )
        if street.pk not in by_street and label is None:
            continue
        if label is None and outline:
            label = [sum(p[0] for p in outline) / len(outline), sum(p[1] for p in outline) / len(outline)]
        streets.append({"name": street.name, "label": label, "outline": outline})
        if label and street.pk in by_street:
            all_points.append(tuple(label))
    if all_points:
        bounds = [
            [min(p[0] for p in all_points), min(p[1] for p in all_points)],
            [max(p[0] for p in all_points) + 0.001, max(p[1] for p in all_points) + 0.001],
        ]
    else:
        bounds = None
    return {"streets": streets, "bounds": bounds, "centre": list(DEFAULT_CENTRE)}


STATUS_COLOURS = {
    CoverageStatus.ORGANIZATIONAL: "#c8102e",
    CoverageStatus.WORK: "#f0a30a",
    CoverageStatus.NONE: "#6c757d",
}


def legend_text() -> dict:
    return {
        "statuses": [
            {"value": status.value, "label": str(status.label), "colour": STATUS_COLOURS[status]}
            for status in CoverageStatus
        ],
        "preparing": _("organization in preparation"),
        "units": _("units"),
        "open_unit": _("Open the unit"),
        "zoom_in": _("Zoom in to see the units"),
        "shown": _("%(shown)s of %(total)s units in view"),
        "clustered": _("%(total)s units in view, grouped; zoom in to see each unit"),
        "loading": _("Loading…"),
        "failed": _("The units could not be loaded."),
    }
