"""Pages for red rider stations (红色骑手驿站).

Staff (mounted under /care/stations/): the list with filters and export, a station's page with
its hours, closures, photos, check-in poster and usage, the forms; the usage report.
Public (mounted at /stations/, no sign-in): the finder for workers on a phone, the check-in page
a station's QR poster opens, and the listed stations' photos.
"""

import datetime
import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.care import station_queries as queries
from dangjian.care import stations as services
from dangjian.care.models import Station
from dangjian.care.station_forms import (
    ClosureForm,
    FinderForm,
    PhotoForm,
    StationFilterForm,
    StationForm,
    UsageFilterForm,
    WeekHoursForm,
)
from dangjian.care.station_rules import describe_week, every_day, opening_state
from dangjian.care.station_sheets import STATION_SHEET, USAGE_SHEET, station_rows, usage_rows
from dangjian.core import ratelimit
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import export_filtered, filtered, render_list
from dangjian.spreadsheets.exports import export_xlsx

FINDER_RESULTS = 12
# Check-ins: one per phone, station and hour (a cookie); per network address at most this many in
# ten minutes (riders share mobile networks, so the cap is generous; it stops scripts).
CHECK_INS_PER_ADDRESS_10_MINUTES = 60
CHECK_IN_COOKIE = "station_check_ins"


# --- staff: the list ---------------------------------------------------------------------------


def _listed(request):
    return filtered(request, StationFilterForm, queries.station_list)


@login_required
def station_list(request):
    form, _filters, stations = _listed(request)
    context = {
        "form": form,
        "page": page_of(request, stations),
        "counts": queries.station_counts(request.user),
        "may_add": services.may_add_stations(request.user),
    }
    return render_list(request, "care/station_list.html", context)


@login_required
def station_export(request):
    _form, filters, stations = _listed(request)
    return export_filtered(
        request, spec=STATION_SHEET, rows=station_rows(stations), what="stations", filters=filters
    )


# --- staff: one station ------------------------------------------------------------------------


def _managed(request, station_pk: int) -> Station:
    """The station if the user sees it (else 404) and may change it (else 403)."""
    station = queries.station_detail(request.user, station_pk)
    if not services.may_manage_station(request.user, station):
        raise PermissionDenied
    return station


def _to_station(station, anchor: str = ""):
    return redirect(reverse("care:station_detail", kwargs={"station_pk": station.pk}) + anchor)


@login_required
def station_detail(request, station_pk: int):
    station = queries.station_detail(request.user, station_pk)
    now = timezone.now()
    today = timezone.localdate()
    hours = queries.hours_of(station)
    since = today - datetime.timedelta(days=13)
    context = {
        "station": station,
        "week": describe_week(hours),
        "state": opening_state(hours, now),
        "upcoming_closures": [c for c in station.closures.all() if c.end_date >= today],
        "past_closures": [c for c in station.closures.all() if c.end_date < today][:10],
        "may_manage": services.may_manage_station(request.user, station),
        "by_day": queries.usage_by_day(request.user, since=since, until=today, station=station),
        "by_hour": queries.usage_by_hour_of_day(request.user, since=since, until=today, station=station),
        "closure_form": ClosureForm(),
        "photo_form": PhotoForm(),
        "events": timeline(request.user, station)[:50],
    }
    return render(request, "care/station_detail.html", context)


def _save_station(request, form, hours_form, station=None):
    """Validate both forms and save; returns the station or None (errors are on the forms)."""
    if not (form.is_valid() and hours_form.is_valid()):
        return None
    station = form.save(commit=False)
    try:
        services.save_station(
            actor=request.user,
            station=station,
            services=form.cleaned_data["services"],
            periods=hours_form.periods(),
        )
    except ValidationError as error:
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for field, errors in by_field.items():
            target = form if field in form.fields else hours_form
            target.add_error(field if field in target.fields else None, errors)
        return None
    return station


@login_required
@require_http_methods(["GET", "POST"])
def station_new(request):
    if not services.may_add_stations(request.user):
        raise PermissionDenied
    form = StationForm(request.POST or None, user=request.user, initial={"is_active": True})
    hours_form = WeekHoursForm(request.POST or None, periods=every_day(datetime.time(8), datetime.time(20)))
    if request.method == "POST" and (station := _save_station(request, form, hours_form)):
        messages.success(request, _("Station %(name)s added.") % {"name": station.name})
        return _to_station(station)
    return render(request, "care/station_form.html", {"form": form, "hours_form": hours_form})


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request, station_pk: int):
    station = _managed(request, station_pk)
    form = StationForm(request.POST or None, instance=station, user=request.user)
    hours_form = WeekHoursForm(request.POST or None, periods=[p.as_rule() for p in station.periods.all()])
    if request.method == "POST" and _save_station(request, form, hours_form, station):
        messages.success(request, _("Station %(name)s saved.") % {"name": station.name})
        return _to_station(station)
    return render(
        request, "care/station_form.html", {"form": form, "hours_form": hours_form, "station": station}
    )


@login_required
@require_http_methods(["GET", "POST"])
def closure_new(request, station_pk: int):
    station = _managed(request, station_pk)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_closure(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The closure was added."))
            return _to_station(station, "#closures")
    return render(request, "care/station_closure_form.html", {"station": station, "form": form})


def _post_only(request):
    """POST-only actions look the record up first, so one outside the user's scope is a 404
    whatever the method (the scope test walks every route with GET)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _remove(request, station, remove, done: str, anchor: str):
    """Run ``remove()`` (of a closure or a photo) if the user may manage the station, and go back
    to it."""
    if not services.may_manage_station(request.user, station):
        raise PermissionDenied
    if refused := _post_only(request):
        return refused
    remove()
    messages.success(request, done)
    return _to_station(station, anchor)


@login_required
def closure_remove(request, stationclosure_pk: int):
    closure = queries.closure_detail(request.user, stationclosure_pk)
    return _remove(
        request,
        closure.station,
        lambda: services.remove_closure(actor=request.user, closure=closure),
        _("The closure was removed."),
        "#closures",
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_new(request, station_pk: int):
    station = _managed(request, station_pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_photo(
                actor=request.user,
                station=station,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error("image" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The photo was added."))
            return _to_station(station, "#photos")
    return render(request, "care/station_photo_form.html", {"station": station, "form": form})


@login_required
def photo_remove(request, stationphoto_pk: int):
    photo = queries.photo_detail(request.user, stationphoto_pk)
    return _remove(
        request,
        photo.station,
        lambda: services.remove_photo(actor=request.user, photo=photo),
        _("The photo was removed."),
        "#photos",
    )


def _photo_response(photo):
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def photo_file(request, stationphoto_pk: int):
    """A photo for staff (stations not listed too)."""
    return _photo_response(queries.photo_detail(request.user, stationphoto_pk))


@login_required
def station_listing(request, station_pk: int):
    station = _managed(request, station_pk)
    if refused := _post_only(request):
        return refused
    listed = request.POST.get("listed") == "yes"
    services.set_listed(actor=request.user, station=station, listed=listed)
    messages.success(
        request,
        _("The station is listed on the finder.") if listed else _("The station is no longer listed."),
    )
    return _to_station(station)


@login_required
def check_in_code_new(request, station_pk: int):
    station = _managed(request, station_pk)
    if refused := _post_only(request):
        return refused
    services.new_check_in_code_for(actor=request.user, station=station)
    messages.success(
        request, _("A new check-in code was made: print the new poster; the old one no longer counts.")
    )
    return _to_station(station, "#check-in")


def _check_in_url(request, station: Station) -> str:
    path = reverse("stations:check_in", kwargs={"station_pk": station.pk})
    return request.build_absolute_uri(f"{path}?code={station.check_in_code}")


@login_required
@require_GET
def station_qr(request, station_pk: int):
    """The station's check-in QR code as SVG, for its poster."""
    station = _managed(request, station_pk)
    qr = segno.make(_check_in_url(request, station), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
@require_GET
def station_poster(request, station_pk: int):
    """A printable poster: the station's name, services, hours and its check-in QR code."""
    station = _managed(request, station_pk)
    context = {
        "station": station,
        "week": describe_week(queries.hours_of(station)),
        "check_in_url": _check_in_url(request, station),
    }
    return render(request, "care/station_poster.html", context)


# --- staff: usage --------------------------------------------------------------------------------


def _usage(request):
    form = UsageFilterForm(request.GET or None)
    since, until = form.period(timezone.localdate())
    street_id = form.street_id()
    stations = queries.usage_by_station(request.user, since=since, until=until, street_id=street_id)
    return form, since, until, street_id, stations


@login_required
def station_usage(request):
    form, since, until, street_id, stations = _usage(request)
    by_hour = queries.usage_by_hour_of_day(request.user, since=since, until=until, street_id=street_id)
    context = {
        "form": form,
        "since": since,
        "until": until,
        "page": page_of(request, stations),
        "by_hour": by_hour,
        "by_hour_rows": list(enumerate(by_hour)),
        "total": sum(by_hour),
    }
    return render(request, "care/station_usage.html", context)


@login_required
def station_usage_export(request):
    _form, since, until, street_id, stations = _usage(request)
    return export_xlsx(
        user=request.user,
        spec=USAGE_SHEET,
        rows=usage_rows(stations),
        what="station_usage",
        filters={"since": since.isoformat(), "until": until.isoformat(), "street_id": street_id or ""},
    )


# --- public: the finder ------------------------------------------------------------------------


@require_GET
def finder(request):
    """The station finder for workers: nearest stations to the phone's position, or to a chosen
    community when the phone does not give its position; filters for services and "open now"."""
    services_offered = list(queries.active_services())
    form = FinderForm(request.GET or None, services=services_offered)
    query = form.query() if request.GET else {}
    origin = None
    if query.get("lat") is not None and query.get("lng") is not None:
        origin = {"latitude": query["lat"], "longitude": query["lng"], "label": _("your location")}
    elif query.get("community") and (found := queries.community_position(query["community"])):
        community, latitude, longitude = found
        origin = {
            "latitude": latitude,
            "longitude": longitude,
            "label": community.name,
            "community": community,
        }
    results = None
    if origin is not None:
        results = queries.nearest(
            origin["latitude"],
            origin["longitude"],
            services=query["services"],
            open_now=query["open_now"],
            limit=FINDER_RESULTS,
        )
    context = {
        "form": form,
        "origin": origin,
        "results": results,
        "open_now": query.get("open_now", True),
        "chosen_services": set(query.get("services", [])),
        "services": services_offered,
        "communities": queries.communities_for_finder(),
        "tile_url": settings.MAP_TILE_URL,
        "searched": bool(request.GET),
        "unknown_community": bool(query.get("community")) and origin is None,
    }
    if request.GET.get("fragment") == "results":
        return render(request, "care/station_finder.html#results", context)
    return render(request, "care/station_finder.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def public_photo(request, stationphoto_pk: int):
    return _photo_response(queries.public_photo(stationphoto_pk))


@require_http_methods(["GET", "POST"])
def check_in(request, station_pk: int):
    """What a station's QR poster opens: the station, and a button that counts the visit."""
    code = request.GET.get("code", "")
    station = queries.station_for_check_in(station_pk, code)
    hour_key = f"{station.pk}-{services.check_in_hour(timezone.now()):%Y%m%d%H}"
    done = hour_key in request.COOKIES.get(CHECK_IN_COOKIE, "").split(".")
    status, limited = 200, False
    if request.method == "POST" and not done:
        address = ratelimit.client_ip(request)
        if ratelimit.hit("station-check-in", address, window_seconds=600) > CHECK_INS_PER_ADDRESS_10_MINUTES:
            limited, status = True, 429
        else:
            services.record_check_in(station=station)
            done = True
    hours = queries.hours_of(Station.objects.prefetch_related("periods", "closures").get(pk=station.pk))
    context = {
        "station": station,
        "state": opening_state(hours, timezone.now()),
        "week": describe_week(hours),
        "done": done,
        "limited": limited,
        "code": code,
    }
    response = render(request, "care/station_check_in.html", context, status=status)
    if request.method == "POST" and done:
        # Remember this phone's check-ins of the day (station-hour keys), so a second tap does not
        # count twice; nothing else is stored.
        kept = [k for k in request.COOKIES.get(CHECK_IN_COOKIE, "").split(".") if k][-20:]
        if hour_key not in kept:
            kept.append(hour_key)
        response.set_cookie(
            CHECK_IN_COOKIE,
            ".".join(kept),
            max_age=24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
