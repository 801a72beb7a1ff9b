"""The public station API: ``GET /api/stations/nearest`` (no sign-in; listed stations only)."""

import datetime
import json
import math

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from dangjian.care.models import Station
from dangjian.care.station_index import get_index

router = Router(tags=["stations"], auth=None)

MAX_LIMIT = 50
DEFAULT_LIMIT = 10
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ServiceOut(Schema):
    code: str
    name: str


class RoutesOut(Schema):
    geo: str = Field(description="geo: URI, opens the phone's map app")
    amap: str = Field(description="Amap web URI (WGS-84 coordinates), no key needed")


class NearbyStationOut(Schema):
    id: int
    name: str
    host_kind: str
    host_kind_label: str
    host_name: str
    address: str
    street: str
    community: str
    latitude: float
    longitude: float
    phone: str
    distance_m: int = Field(description="great-circle distance from the given point, metres")
    open_now: bool
    open_around_the_clock: bool
    closes_at: datetime.datetime | None = Field(None, description="when open: when it closes")
    opens_at: datetime.datetime | None = Field(None, description="when closed: when it opens next")
    services: list[ServiceOut]
    routes: RoutesOut


class NearestOut(Schema):
    at: datetime.datetime
    count: int
    stations: list[NearbyStationOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str]


def _number(value, name: str, low: float, high: float, errors: dict, label: str):
    if value is None or str(value).strip() == "":
        errors[name] = _("%(label)s is required.") % {"label": label}
        return None
    try:
        number = float(value)
    except ValueError:
        errors[name] = _("%(label)s must be a number.") % {"label": label}
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors[name] = _("%(label)s must be between %(low)s and %(high)s.") % {
            "label": label,
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
        return None
    return number


def parse_nearest_query(*, lat, lng, service, open_now, limit, known_services) -> tuple[dict, dict]:
    """(arguments for the search, {parameter: error}) from the query string's raw values."""
    errors: dict[str, str] = {}
    latitude = _number(lat, "lat", -90, 90, errors, gettext_lazy("Latitude (lat)"))
    longitude = _number(lng, "lng", -180, 180, errors, gettext_lazy("Longitude (lng)"))
    services = [code for code in (part.strip() for part in (service or "").split(",")) if code]
    unknown = sorted(set(services) - set(known_services))
    if unknown:
        errors["service"] = _("Unknown service: %(codes)s. Known: %(known)s.") % {
            "codes": ", ".join(unknown),
            "known": ", ".join(sorted(known_services)),
        }
    flag = (open_now or "").strip().lower()
    if flag not in _TRUE | _FALSE:
        errors["open_now"] = _("open_now must be true or false.")
    count = DEFAULT_LIMIT
    if limit not in (None, ""):
        try:
            count = int(limit)
        except ValueError:
            errors["limit"] = _("limit must be a whole number.")
        else:
            if not 1 <= count <= MAX_LIMIT:
                errors["limit"] = _("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT}
    arguments = {
        "latitude": latitude,
        "longitude": longitude,
        "services": services,
        "open_now": flag in _TRUE,
        "limit": count,
    }
    return arguments, errors


def _json(status: int, body: str) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _query_parameter(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"in": "query", "name": name, "required": required, "description": description, "schema": schema}


# The parameters are read from the query string by parse_nearest_query (its own checks, with
# messages in the reader's language); they are declared here for the OpenAPI document.
NEAREST_PARAMETERS = [
    _query_parameter("lat", "latitude, WGS-84", {"type": "number", "minimum": -90, "maximum": 90}, True),
    _query_parameter("lng", "longitude, WGS-84", {"type": "number", "minimum": -180, "maximum": 180}, True),
    _query_parameter(
        "service", "service codes that must all be offered, comma-separated", {"type": "string"}
    ),
    _query_parameter("open_now", "only stations open now", {"type": "boolean", "default": False}),
    _query_parameter(
        "limit",
        "how many stations",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
]
_host_labels: dict[str, dict[str, str]] = {}


def host_labels(language: str) -> dict[str, str]:
    """The host kinds' labels in ``language``, the active one (worked out once per language)."""
    labels = _host_labels.get(language)
    if labels is None:
        labels = _host_labels[language] = {kind.value: str(kind.label) for kind in Station.HostKind}
    return labels


@router.get(
    "/nearest",
    response={200: NearestOut, 400: ErrorOut},
    summary="Nearest red rider stations",
    openapi_extra={"parameters": NEAREST_PARAMETERS},
)
def nearest(request):
    """The listed stations nearest a point (WGS-84 ``lat``/``lng``), nearest first, with their
    distance in metres and whether they are open now. ``service``: comma-separated service codes
    that must all be offered; ``open_now=true``: only stations open now; ``limit``: 1–50
    (default 10). Public: no sign-in needed."""
    index = get_index()
    query = request.GET
    arguments, errors = parse_nearest_query(
        lat=query.get("lat"),
        lng=query.get("lng"),
        service=query.get("service", ""),
        open_now=query.get("open_now", ""),
        limit=query.get("limit"),
        known_services=index.service_codes,
    )
    if errors:
        payload = {"detail": _("Check the query parameters."), "errors": errors}
        return _json(400, json.dumps(payload, ensure_ascii=False))
    now = timezone.now()
    found = index.nearest(
        arguments["latitude"],
        arguments["longitude"],
        services=arguments["services"],
        open_at=now if arguments["open_now"] else None,
        limit=arguments["limit"],
    )
    language = get_language() or ""
    labels, minute = host_labels(language), index.at_minute(now)
    # Written directly, the schema above documenting it (OpenAPI) without pydantic checking the
    # answer field by field: each station is its fixed part (serialized when the index was
    # built), its distance, and its state in this minute (serialized once per minute and language).
    head = json.dumps({"at": timezone.localtime(now).isoformat(), "count": len(found)})[:-1]
    stations = ",".join(
        f'{f.entry.json_head},"distance_m":{round(f.distance_m)},'
        f"{minute.state_json(f.entry, language, labels[f.entry.data['host_kind']])}}}"
        for f in found
    )
    return _json(200, f'{head},"stations":[{stations}]}}')
