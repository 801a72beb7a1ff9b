"""Red rider stations (红色骑手驿站): the rules as pure functions, testable with fixed datetimes.

Opening hours
    A station has periods per weekday (Monday = 0). A period is either all day (00:00 to the next
    00:00) or runs from ``opens`` to ``closes``; a ``closes`` at or before ``opens`` means the next
    day (20:00–02:00 is an overnight shift). Holiday closures are date ranges (both ends included):
    on a closed date the station is closed the whole day, and a shift that would start on a closed
    date does not take place; a shift that started the evening before a closed date ends at
    midnight. Consecutive periods join up, so a station open all day every day is "open around the
    clock" rather than "closes at 24:00". Times are local to Asia/Shanghai, which has no daylight
    saving time, so naive arithmetic on local times is exact.

Distances
    Great-circle (haversine) distance on the mean Earth radius, in metres; coordinates are WGS-84,
    as phones report them.
"""

from __future__ import annotations

import datetime
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.validators import MOBILE_RE, normalize_identifier

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)
MIDNIGHT = datetime.time(0, 0)
# How far ahead "opens next" looks: long enough for any closure a district would enter.
NEXT_OPENING_HORIZON_DAYS = 400
# An open stretch reaching this far ahead is shown as "open around the clock".
AROUND_THE_CLOCK_DAYS = 7

WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)


# --- opening hours --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: datetime.time | None = None
    closes: datetime.time | None = None
    all_day: bool = False

    def span_on(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The period's start and end on ``day`` (naive local times); the end may be the next day."""
        if self.all_day:
            start = datetime.datetime.combine(day, MIDNIGHT)
            return start, start + DAY
        start = datetime.datetime.combine(day, self.opens)
        end = datetime.datetime.combine(day, self.closes)
        if end <= start:
            end += DAY
        return start, end


@dataclass(frozen=True)
class Closure:
    start: datetime.date
    end: datetime.date  # included

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Hours:
    """A station's weekly periods and its holiday closures."""

    periods: tuple[Period, ...] = ()
    closures: tuple[Closure, ...] = ()
    _by_weekday: tuple[tuple[Period, ...], ...] = field(init=False, repr=False, compare=False)
    _week: _Week = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        by_day = tuple(tuple(p for p in self.periods if p.weekday == day) for day in range(7))
        object.__setattr__(self, "_by_weekday", by_day)
        object.__setattr__(self, "_week", _Week(self.periods))

    def closed_on(self, day: datetime.date) -> bool:
        return any(closure.covers(day) for closure in self.closures)

    def closed_between(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether any closure touches the days ``first`` to ``last``."""
        return any(c.start <= last and c.end >= first for c in self.closures)

    def spans_starting(self, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The open spans that start on ``day``, cut at midnight before a closed date."""
        periods = self._by_weekday[day.weekday()]
        if not periods or self.closed_on(day):
            return []
        next_day = day + DAY
        cut = datetime.datetime.combine(next_day, MIDNIGHT) if self.closed_on(next_day) else None
        spans = []
        for period in periods:
            start, end = period.span_on(day)
            if cut is not None and end > cut:
                end = cut
            spans.append((start, end))
        return spans


WEEK_SECONDS = 7 * 86_400


class _Week:
    """The weekly periods laid out as merged intervals of seconds from Monday 00:00, over three
    weeks (the week before and after too, so shifts crossing Sunday midnight and stretches
    reaching into the next week join up). Without a closure near the moment asked about, the
    state is a binary search here instead of building the days' spans: the finder asks this
    for every station it looks at."""

    __slots__ = ("ends", "starts")

    def __init__(self, periods):
        spans = []
        for period in periods:
            if period.all_day:
                start, length = period.weekday * 86_400, 86_400
            else:
                opens = period.opens.hour * 3600 + period.opens.minute * 60 + period.opens.second
                closes = period.closes.hour * 3600 + period.closes.minute * 60 + period.closes.second
                start, length = period.weekday * 86_400 + opens, (closes - opens) % 86_400 or 86_400
            for week in (-1, 0, 1):
                spans.append((start + week * WEEK_SECONDS, start + length + week * WEEK_SECONDS))
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def containing(self, second: int) -> int | None:
        """The index of the interval open at ``second`` (0 ≤ second < one week), or None."""
        i = bisect_right(self.starts, second) - 1
        return i if i >= 0 and second < self.ends[i] else None


def _second_of_week(moment: datetime.datetime) -> int:
    return moment.weekday() * 86_400 + moment.hour * 3600 + moment.minute * 60 + moment.second


def _monday_of(moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(moment.date() - datetime.timedelta(days=moment.weekday()), MIDNIGHT)


def _no_closure_near(hours: Hours, moment: datetime.datetime) -> bool:
    """No closure from the day before ``moment`` to eight days after: the weekly layout alone
    then answers is_open, closes_at (up to a week ahead) and next_opening (within a week)."""
    if not hours.closures:
        return True
    day = moment.date()
    return not hours.closed_between(day - DAY, day + 8 * DAY)


@dataclass(frozen=True)
class OpeningState:
    is_open: bool
    # When open: when it closes (None: open around the clock for at least a week).
    closes_at: datetime.datetime | None = None
    # When closed: when it opens next (None: nothing within the horizon).
    opens_at: datetime.datetime | None = None

    @property
    def around_the_clock(self) -> bool:
        return self.is_open and self.closes_at is None


def local(at: datetime.datetime) -> datetime.datetime:
    """``at`` as a naive Asia/Shanghai time (naive input is taken to be local already)."""
    if at.tzinfo is None:
        return at
    return at.astimezone(TZ).replace(tzinfo=None)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=TZ)


def is_open(hours: Hours, at: datetime.datetime) -> bool:
    """Whether the station is open at ``at``. A period lasts at most a day, so only the periods
    starting today and yesterday can cover the moment."""
    moment = local(at)
    if _no_closure_near(hours, moment):
        return hours._week.containing(_second_of_week(moment)) is not None
    return _is_open_by_days(hours, moment)


def open_checker(at: datetime.datetime):
    """``is_open(hours, at)`` for many stations at one moment: the moment is worked out once."""
    moment = local(at)
    second = _second_of_week(moment)
    first, last = moment.date() - DAY, moment.date() + 8 * DAY

    def check(hours: Hours) -> bool:
        if hours.closures and hours.closed_between(first, last):
            return _is_open_by_days(hours, moment)
        return hours._week.containing(second) is not None

    return check


def _is_open_by_days(hours: Hours, moment: datetime.datetime) -> bool:
    today = moment.date()
    if hours.closed_on(today):
        return False
    for day in (today - DAY, today):
        for start, end in hours.spans_starting(day):
            if start <= moment < end:
                return True
    return False


def _merged_spans(hours: Hours, first: datetime.date, days: int):
    """Open spans starting from ``first`` over ``days`` days, joined where they touch or overlap."""
    spans = sorted(span for offset in range(days) for span in hours.spans_starting(first + offset * DAY))
    merged: list[list[datetime.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def closes_at(hours: Hours, at: datetime.datetime) -> datetime.datetime | None:
    """When the open stretch around ``at`` ends; None if it is closed at ``at`` or if the stretch
    lasts a week or more (open around the clock)."""
    moment = local(at)
    if _no_closure_near(hours, moment):
        week, second = hours._week, _second_of_week(moment)
        i = week.containing(second)
        if i is None or week.ends[i] - second >= AROUND_THE_CLOCK_DAYS * 86_400:
            return None
        return _aware(_monday_of(moment) + datetime.timedelta(seconds=week.ends[i]))
    return _closes_at_by_days(hours, moment)


def _closes_at_by_days(hours: Hours, moment: datetime.datetime) -> datetime.datetime | None:
    horizon = AROUND_THE_CLOCK_DAYS + 1
    for start, end in _merged_spans(hours, moment.date() - DAY, horizon + 1):
        if start <= moment < end:
            if end - moment >= datetime.timedelta(days=AROUND_THE_CLOCK_DAYS):
                return None
            return _aware(end)
    return None


def next_opening(hours: Hours, at: datetime.datetime) -> datetime.datetime | None:
    """The next moment after ``at`` at which the station goes from closed to open (if it is open
    at ``at``, the reopening after this stretch), within the horizon; None if there is none."""
    moment = local(at)
    if _no_closure_near(hours, moment):
        week, second = hours._week, _second_of_week(moment)
        i = bisect_right(week.starts, second)
        if i < len(week.starts) and week.starts[i] - second <= WEEK_SECONDS:
            return _aware(_monday_of(moment) + datetime.timedelta(seconds=week.starts[i]))
        if not week.starts or week.ends[-1] - week.starts[0] >= 3 * WEEK_SECONDS - 86_400:
            return None  # never open, or always open: it does not open anew
    return _next_opening_by_days(hours, moment)


def _next_opening_by_days(hours: Hours, moment: datetime.datetime) -> datetime.datetime | None:
    """The same from the days' spans, closures included (looks up to the horizon)."""
    first = moment.date() - DAY
    # Look a fortnight ahead first (the usual case), then the whole horizon.
    for days in (16, NEXT_OPENING_HORIZON_DAYS + 2):
        for start, end in _merged_spans(hours, first, days):
            if start > moment:
                return _aware(start)
            if start <= moment < end and end - start >= datetime.timedelta(days=days - 2):
                break  # open through the window: look further
    return None


def opening_state(hours: Hours, at: datetime.datetime) -> OpeningState:
    """Open or not at ``at``, and when that changes (what ``is_open``, ``closes_at`` and
    ``next_opening`` say, worked out together)."""
    moment = local(at)
    if _no_closure_near(hours, moment):
        week, second = hours._week, _second_of_week(moment)
        i = bisect_right(week.starts, second) - 1
        if i >= 0 and second < week.ends[i]:
            if week.ends[i] - second >= AROUND_THE_CLOCK_DAYS * 86_400:
                return OpeningState(True)
            return OpeningState(
                True, closes_at=_aware(_monday_of(moment) + datetime.timedelta(seconds=week.ends[i]))
            )
        if i + 1 < len(week.starts):  # closed: the next start is within the week (the layout repeats)
            return OpeningState(
                False, opens_at=_aware(_monday_of(moment) + datetime.timedelta(seconds=week.starts[i + 1]))
            )
        return OpeningState(False)  # never open
    if _is_open_by_days(hours, moment):
        return OpeningState(True, closes_at=_closes_at_by_days(hours, moment))
    return OpeningState(False, opens_at=_next_opening_by_days(hours, moment))


def period_errors(periods: list[Period]) -> list[str]:
    """What is wrong with a station's weekly periods (empty when they can be saved): a period
    must have both times or be all day, may not open and close at the same minute, and no two
    periods may overlap anywhere in the week (an overnight shift runs into the next day)."""
    errors = []
    for period in periods:
        if period.all_day:
            if period.opens or period.closes:
                errors.append(_("%(day)s: an all-day period has no times.") % {"day": day_name(period)})
        elif period.opens is None or period.closes is None:
            errors.append(
                _("%(day)s: give both the opening and the closing time.") % {"day": day_name(period)}
            )
        elif period.opens == period.closes:
            errors.append(
                _("%(day)s: opening and closing at the same time; use “all day” for 24 hours.")
                % {"day": day_name(period)}
            )
    if errors:
        return errors
    # Lay the week out twice from a Monday, so a Sunday night shift meets Monday's periods.
    monday = datetime.date(2024, 1, 1)
    spans = sorted((*p.span_on(monday + (p.weekday + week * 7) * DAY), p) for p in periods for week in (0, 1))
    for (_start, end, first), (start, _end, second) in zip(spans, spans[1:], strict=False):
        if start < end:
            errors.append(
                _("%(first)s and %(second)s overlap.")
                % {"first": describe_period(first), "second": describe_period(second)}
            )
    return sorted(set(errors))


def day_name(period: Period) -> str:
    return str(WEEKDAY_NAMES[period.weekday])


def describe_period(period: Period) -> str:
    if period.all_day:
        return _("%(day)s all day") % {"day": day_name(period)}
    return f"{day_name(period)} {period.opens:%H:%M}–{period.closes:%H:%M}"


def _times(periods: tuple[Period, ...]) -> str:
    if any(p.all_day for p in periods):
        return _("24 hours")
    parts = []
    for p in sorted(periods, key=lambda p: p.opens):
        text = f"{p.opens:%H:%M}–{p.closes:%H:%M}"
        if p.closes <= p.opens:
            text += _(" (next day)")
        parts.append(text)
    return ", ".join(parts)


def describe_week(hours: Hours) -> list[tuple[str, str]]:
    """[(days, times)] with runs of weekdays that share their times, e.g. ("Monday–Friday",
    "08:00–20:00"); days without periods are listed as closed."""
    rows: list[tuple[int, int, str]] = []
    for day in range(7):
        periods = hours._by_weekday[day]
        times = _times(periods) if periods else _("closed")
        if rows and rows[-1][2] == times and rows[-1][1] == day - 1:
            rows[-1] = (rows[-1][0], day, times)
        else:
            rows.append((day, day, times))
    described = []
    for first, last, times in rows:
        days = str(WEEKDAY_NAMES[first])
        if last > first:
            days += ("、" if last == first + 1 else "–") + str(WEEKDAY_NAMES[last])
        described.append((days, times))
    return described


def every_day(opens: datetime.time | None = None, closes: datetime.time | None = None) -> tuple[Period, ...]:
    """The same period on all seven days; without times, around the clock."""
    if opens is None:
        return tuple(Period(day, all_day=True) for day in range(7))
    return tuple(Period(day, opens, closes) for day in range(7))


# --- distances ------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def route_links(latitude: float, longitude: float, name: str) -> dict[str, str]:
    """Links that start navigation to a station without any API key: a geo: URI (Android opens
    the phone's map app) and Amap's public web URI (told the coordinates are WGS-84, it converts
    them; it offers the app or the web map)."""
    label = quote(name, safe="")
    return {
        "geo": f"geo:{latitude:.6f},{longitude:.6f}?q={latitude:.6f},{longitude:.6f}({label})",
        "amap": (
            f"https://uri.amap.com/marker?position={longitude:.6f},{latitude:.6f}&name={label}"
            "&src=longhua-dangjian&coordinate=wgs84&callnative=1"
        ),
    }


# --- the station's phone: a public contact of the station, not personal data ----------------------

# Area codes: 010 and 02x have three digits, the others four; local numbers do not start with 0 or 1.
_LANDLINE_RE = re.compile(r"(010|02\d|0[3-9]\d{2})?([2-9]\d{6,7})")
_SERVICE_RE = re.compile(r"([48]00)(\d{3})(\d{4})")
LOCAL_AREA_CODE = "0898"  # Haikou


def normalize_station_phone(value) -> str:
    """A mainland mobile, a landline (area code optional: Haikou's 0898 is assumed) or a 400/800
    service number, in one written form: 13912345678, 0898-66123456, 400-123-4567.
    Raises ValidationError otherwise."""
    number = normalize_identifier(str(value or "")).replace("(", "").replace(")", "")
    number = number.removeprefix("+86")
    if MOBILE_RE.fullmatch(number):
        return number
    if match := _SERVICE_RE.fullmatch(number):
        return "-".join(match.groups())
    if match := _LANDLINE_RE.fullmatch(number):
        area, local_number = match.groups()
        return f"{area or LOCAL_AREA_CODE}-{local_number}"
    raise ValidationError(
        _("Enter a mobile number, a landline (e.g. 0898-66123456) or a 400/800 service number."),
        code="invalid",
    )


def validate_station_phone(value) -> None:
    if value:
        normalize_station_phone(value)
