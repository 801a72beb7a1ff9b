"""Writes for red rider stations (红色骑手驿站): each validated, audited, and refreshing the finder.

Who may change a station: the district (everything) and the staff of the street or town the
station is in. Check-ins are counted per station and hour, with nobody identified.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_of
from dangjian.care import station_index
from dangjian.care.models import (
    Station,
    StationCheckIn,
    StationClosure,
    StationPeriod,
    StationPhoto,
    StationService,
    new_check_in_code,
)
from dangjian.care.station_rules import Hours, Period, describe_week, normalize_station_phone, period_errors
from dangjian.core.audit import record_event, save_tracked
from dangjian.regions.models import Region

# The services a station may offer, added after every migrate if missing (never overwriting the
# district's own names or order). Codes are what the API's ``service=`` filter takes.
DEFAULT_SERVICES = [
    ("water", "饮用水"),
    ("hot_meals", "热饭/微波炉"),
    ("rest", "休息座椅"),
    ("shelter", "避雨避暑"),
    ("charging", "手机充电"),
    ("toilet", "卫生间"),
    ("medical_kit", "医药箱"),
    ("air_conditioning", "空调"),
    ("wifi", "无线网络"),
    ("repair_tools", "打气筒/维修工具"),
    ("reading", "书报阅读"),
]

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_PER_STATION = 6
_IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sync_station_services(**kwargs) -> None:
    """post_migrate: add the default services that are missing."""
    existing = set(StationService.objects.values_list("code", flat=True))
    StationService.objects.bulk_create(
        [
            StationService(code=code, name=name, sort_order=(order + 1) * 10)
            for order, (code, name) in enumerate(DEFAULT_SERVICES)
            if code not in existing
        ]
    )


# --- who may change what -----------------------------------------------------------------------


def may_manage_stations_in(user, street_id: int | None) -> bool:
    scope = scope_of(user)
    return scope.everything or (street_id is not None and street_id in scope.street_ids)


def may_manage_station(user, station: Station) -> bool:
    return may_manage_stations_in(user, station.street_id)


def may_add_stations(user) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.street_ids)


def manageable_streets(user):
    """The streets and towns where the user may add stations."""
    streets = Region.objects.filter(kind__in=Region.TOWNSHIP_KINDS)
    scope = scope_of(user)
    return streets if scope.everything else streets.filter(pk__in=scope.street_ids)


def _require(actor, station: Station) -> None:
    # Services called by the system (demo data, imports) pass no actor.
    if actor is not None and not may_manage_station(actor, station):
        raise PermissionDenied(_("You may not change stations of this street or town."))


# --- the station, its services and its hours -------------------------------------------------------


def _services_text(services) -> str:
    return "、".join(service.name for service in sorted(services, key=lambda s: (s.sort_order, s.pk)))


def _hours_text(periods) -> str:
    return "；".join(f"{days} {times}" for days, times in describe_week(Hours(tuple(periods))))


def save_station(
    *,
    actor,
    station: Station,
    services=None,
    periods: list[Period] | None = None,
) -> Station:
    """Create or update a station; ``services`` (StationService rows) and ``periods`` (the whole
    week, replacing what was there) are changed only when given."""
    if station.community_id and not station.street_id:
        station.street_id = station.community.parent_id  # the community determines the street
    _require(actor, station)
    if station.pk is not None:
        stored_street = Station.objects.filter(pk=station.pk).values_list("street_id", flat=True).first()
        if actor is not None and not may_manage_stations_in(actor, stored_street):
            raise PermissionDenied(_("You may not change stations of this street or town."))
    if station.phone:
        try:
            station.phone = normalize_station_phone(station.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    if periods is not None and (errors := period_errors(periods)):
        raise ValidationError({"periods": errors})
    with transaction.atomic():
        save_tracked(station, actor=actor)
        if services is not None:
            _set_services(actor, station, list(services))
        if periods is not None:
            _set_periods(actor, station, periods)
        station_index.invalidate()
    return station


def _set_services(actor, station: Station, services: list[StationService]) -> None:
    before = list(station.services.all())
    if {s.pk for s in before} == {s.pk for s in services}:
        return
    station.services.set(services)
    record_event(
        actor=actor,
        action="updated",
        obj=station,
        changes={"services": [_services_text(before), _services_text(services)]},
    )


def _set_periods(actor, station: Station, periods: list[Period]) -> None:
    before = [p.as_rule() for p in station.periods.all()]
    if sorted(before, key=repr) == sorted(periods, key=repr):
        return
    station.periods.all().delete()
    StationPeriod.objects.bulk_create(
        [
            StationPeriod(
                station=station, weekday=p.weekday, opens=p.opens, closes=p.closes, all_day=p.all_day
            )
            for p in periods
        ]
    )
    record_event(
        actor=actor,
        action="updated",
        obj=station,
        changes={"periods": [_hours_text(before) if before else "", _hours_text(periods)]},
    )


def set_listed(*, actor, station: Station, listed: bool) -> Station:
    _require(actor, station)
    station.is_active = listed
    with transaction.atomic():
        save_tracked(station, actor=actor)
        station_index.invalidate()
    return station


def new_check_in_code_for(*, actor, station: Station) -> Station:
    """A new code for the station's QR poster: the old poster stops counting check-ins."""
    _require(actor, station)
    station.check_in_code = new_check_in_code()
    save_tracked(station, actor=actor)
    return station


# --- holiday closures --------------------------------------------------------------------------


def add_closure(
    *, actor, station: Station, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> StationClosure:
    _require(actor, station)
    if end_date < start_date:
        raise ValidationError({"end_date": _("The last closed day cannot be before the first.")})
    closure = StationClosure(station=station, start_date=start_date, end_date=end_date, reason=reason.strip())
    with transaction.atomic():
        save_tracked(closure, actor=actor)
        station_index.invalidate()
    return closure


def remove_closure(*, actor, closure: StationClosure) -> None:
    _require(actor, closure.station)
    with transaction.atomic():
        record_event(actor=actor, action="deleted", obj=closure)
        closure.delete()
        station_index.invalidate()


# --- photos ------------------------------------------------------------------------------------


def image_type(head: bytes) -> str | None:
    """The image type from the file's first bytes (what it is, not what it is called)."""
    for signature, content_type in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def add_photo(*, actor, station: Station, upload, caption: str = "") -> StationPhoto:
    """Keep an uploaded photo: a JPEG, PNG or WebP image of at most 5 MB, six per station."""
    _require(actor, station)
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"image": _("A photo may be at most 5 MB.")})
    upload.seek(0)
    content_type = image_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError({"image": _("Upload a JPEG, PNG or WebP image.")})
    with transaction.atomic():
        Station.objects.select_for_update().filter(pk=station.pk).first()  # one upload at a time
        if station.photos.count() >= PHOTOS_PER_STATION:
            raise ValidationError(
                {"image": _("A station has at most %(n)d photos.") % {"n": PHOTOS_PER_STATION}}
            )
        photo = StationPhoto(
            station=station,
            content_type=content_type,
            size=upload.size,
            caption=caption.strip(),
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        photo.image.save(upload.name, upload, save=False)
        try:
            save_tracked(photo, actor=actor)
        except Exception:
            photo.image.delete(save=False)
            raise
        station_index.invalidate()
    return photo


def remove_photo(*, actor, photo: StationPhoto) -> None:
    _require(actor, photo.station)
    with transaction.atomic():
        record_event(actor=actor, action="deleted", obj=photo)
        name = photo.image.name
        storage = photo.image.storage
        photo.delete()
        station_index.invalidate()
        transaction.on_commit(lambda: storage.delete(name))


# --- check-ins -----------------------------------------------------------------------------------


def check_in_hour(at: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(at).replace(minute=0, second=0, microsecond=0)


def record_check_in(*, station: Station, at: datetime.datetime | None = None) -> None:
    """Count one check-in in the station's row for the hour (created on the hour's first)."""
    hour = check_in_hour(at or timezone.now())
    rows = StationCheckIn.objects.filter(station=station, hour=hour)
    with transaction.atomic():
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                StationCheckIn.objects.create(station=station, hour=hour, count=1)
        except IntegrityError:  # another check-in created the hour's row first
            rows.update(count=F("count") + 1)
