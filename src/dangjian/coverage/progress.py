"""The campaign's progress (measure 4): coverage counts and rates by street, industry and key area,
month by month, in the user's scope.

The current month is computed live from the data (``annotate_coverage``); earlier months come
from the monthly snapshots (``CoverageSnapshot``), so later edits do not rewrite the trend. Rates:
the organizational coverage rate is organizationally covered units over units; the work coverage
rate counts every unit party work reaches, through an organization or an instructor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import visible_to
from dangjian.core.choices import Industry
from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.queries import (
    COUNT_FIELDS,
    GAP_FIELDS,
    NO_KEY_AREA,
    PREPARING,
    annotate_coverage,
    campaign_units,
    coverage_counts,
)
from dangjian.coverage.rules import CoverageStatus
from dangjian.coverage.snapshots import add_months, month_start
from dangjian.regions.models import Region
from dangjian.units.models import Unit

# dimension -> (field on units and snapshots, list filter parameter)
DIMENSIONS = {
    "street": ("street_id", "street"),
    "industry": ("industry", "industry"),
    "key_area": ("key_area", "key_area"),
}
MONTHS = 12


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Row:
    key: object  # the group's value (street id, industry, key area), None for the total
    label: str
    counts: dict
    drill: dict = field(default_factory=dict)  # list filter parameters for this group

    @property
    def org_rate(self) -> float | None:
        return rate(self.counts["org_covered"], self.counts["units"])

    @property
    def work_rate(self) -> float | None:
        return rate(self.counts["org_covered"] + self.counts["work_covered"], self.counts["units"])

    @property
    def list_url(self) -> str | None:
        return self.url()

    @property
    def org_url(self) -> str | None:
        return self.url(status=CoverageStatus.ORGANIZATIONAL)

    @property
    def preparing_url(self) -> str | None:
        return self.url(status=PREPARING)

    @property
    def work_url(self) -> str | None:
        return self.url(status=CoverageStatus.WORK)

    @property
    def none_url(self) -> str | None:
        return self.url(status=CoverageStatus.NONE)

    @property
    def gap_urls(self) -> dict:
        return {gap: self.url(gap=gap) for gap in GAP_FIELDS}

    def url(self, **extra) -> str | None:
        """The coverage list for this group (and ``extra`` filters): the charts' drill-down."""
        if self.drill is None:
            return None
        params = {k: v for k, v in {**self.drill, **extra}.items() if v not in ("", None)}
        return f"{reverse('coverage:units')}?{urlencode(params)}" if params else reverse("coverage:units")


@dataclass
class Progress:
    dimension: str
    on: datetime.date
    months: list[datetime.date]
    rows: list[Row]  # the current month, live, one per group
    total: Row
    # month -> group key -> counts (snapshots for past months, live for the current one)
    history: dict[datetime.date, dict[object, dict]]
    labels: dict[object, str]


def _empty() -> dict:
    return dict.fromkeys(COUNT_FIELDS, 0)


def _add(into: dict, counts: dict) -> None:
    for name in COUNT_FIELDS:
        into[name] += counts[name] or 0


def _labels(dimension: str, keys) -> dict:
    if dimension == "street":
        names = dict(Region.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, "") if k else _("(no street or town)") for k in keys}
    if dimension == "industry":
        return {k: str(Industry(k).label) if k in Industry.values else k for k in keys}
    return {k: str(Unit.KeyArea(k).label) if k else _("not in a key area") for k in keys}


def _order(dimension: str, keys) -> list:
    if dimension == "street":
        paths = dict(Region.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "path"))
        return sorted(keys, key=lambda k: (k is None, paths.get(k, "")))
    values = Industry.values if dimension == "industry" else [v for v in Unit.KeyArea.values if v] + [""]
    return sorted(keys, key=lambda k: values.index(k) if k in values else len(values))


def _drill(dimension: str, key, filters: dict) -> dict | None:
    param = DIMENSIONS[dimension][1]
    if dimension == "street" and key is None:
        return None  # units without a street have their own page
    value = NO_KEY_AREA if dimension == "key_area" and key == "" else key
    return {**filters, param: value}


def progress(
    user,
    *,
    dimension: str = "street",
    street_id=None,
    industry: str = "",
    key_area: str = "",
    months: int = MONTHS,
    on: datetime.date | None = None,
) -> Progress:
    on = on or timezone.localdate()
    group_field = DIMENSIONS[dimension][0]
    current = month_start(on)
    month_list = [add_months(current, -n) for n in range(months - 1, -1, -1)]

    units = campaign_units(user)
    snapshots = visible_to(user, CoverageSnapshot.objects.filter(month__gte=month_list[0], month__lt=current))
    filters = {}
    if street_id:
        units, snapshots = units.filter(street_id=street_id), snapshots.filter(street_id=street_id)
        filters["street"] = street_id
    if industry:
        units, snapshots = units.filter(industry=industry), snapshots.filter(industry=industry)
        filters["industry"] = industry
    if key_area:
        area = "" if key_area == NO_KEY_AREA else key_area
        units, snapshots = units.filter(key_area=area), snapshots.filter(key_area=area)
        filters["key_area"] = key_area

    live = annotate_coverage(units, on=on).order_by().values(group_field).annotate(**coverage_counts())
    history: dict[datetime.date, dict] = {month: {} for month in month_list}
    for row in live:
        history[current][row[group_field]] = {name: row[name] for name in COUNT_FIELDS}
    sums = {name: Sum(name) for name in COUNT_FIELDS}
    for row in snapshots.order_by().values("month", group_field).annotate(**sums):
        history[row["month"]][row[group_field]] = {name: row[name] for name in COUNT_FIELDS}

    keys = _order(dimension, {key for groups in history.values() for key in groups})
    labels = _labels(dimension, keys)
    rows = [
        Row(key=key, label=labels[key], counts=history[current][key], drill=_drill(dimension, key, filters))
        for key in keys
        if key in history[current]
    ]
    total = Row(key=None, label=_("Total"), counts=_empty(), drill=filters)
    for row in rows:
        _add(total.counts, row.counts)
    return Progress(
        dimension=dimension, on=on, months=month_list, rows=rows, total=total, history=history, labels=labels
    )


def month_table(result: Progress) -> list[tuple[str, float | None, float | None, dict | None]]:
    """(month, organizational rate, work rate, counts) per month, newest first."""
    rows = []
    for month, counts in zip(result.months, month_totals(result), strict=True):
        if counts is None:
            rows.append((f"{month:%Y-%m}", None, None, None))
        else:
            work = counts["org_covered"] + counts["work_covered"]
            rows.append(
                (
                    f"{month:%Y-%m}",
                    rate(counts["org_covered"], counts["units"]),
                    rate(work, counts["units"]),
                    counts,
                )
            )
    return rows[::-1]


def month_totals(result: Progress) -> list[dict | None]:
    """Per month, the counts summed over the groups (None for a month with no snapshot)."""
    totals = []
    for month in result.months:
        groups = result.history[month]
        if not groups:
            totals.append(None)
            continue
        counts = _empty()
        for group in groups.values():
            _add(counts, group)
        totals.append(counts)
    return totals


def chart_data(result: Progress) -> dict:
    """What static/js/coverage_progress.js draws, passed with json_script."""
    keys = [key for key in _order(result.dimension, result.labels)]
    totals = month_totals(result)

    def series(key) -> list:
        out = []
        for month in result.months:
            counts = result.history[month].get(key)
            out.append(rate(counts["org_covered"], counts["units"]) if counts else None)
        return out

    drills = {row.key: row for row in result.rows}
    return {
        "groups": [
            {
                "label": row.label,
                "org": row.counts["org_covered"],
                "work": row.counts["work_covered"],
                "none": row.counts["not_covered"],
                "units": row.counts["units"],
                "urls": {
                    "org": row.url(status=CoverageStatus.ORGANIZATIONAL),
                    "work": row.url(status=CoverageStatus.WORK),
                    "none": row.url(status=CoverageStatus.NONE),
                },
            }
            for row in result.rows
        ],
        "months": [f"{month:%Y-%m}" for month in result.months],
        "total": {
            "org_rate": [rate(t["org_covered"], t["units"]) if t else None for t in totals],
            "work_rate": [
                rate(t["org_covered"] + t["work_covered"], t["units"]) if t else None for t in totals
            ],
            "url": result.total.url(),
        },
        "trend": [
            {
                "label": result.labels[key],
                "org_rate": series(key),
                "url": drills[key].url() if key in drills else None,
            }
            for key in keys
        ],
        "text": {
            "org": _("organizationally covered"),
            "work": _("work-covered only"),
            "none": _("not covered"),
            "org_rate": _("organizational coverage rate"),
            "work_rate": _("work coverage rate"),
            "units": _("units"),
        },
    }


def export_rows(result: Progress):
    """Every month's counts per group, then the month's total: the progress page as a sheet."""
    totals = month_totals(result)
    keys = _order(result.dimension, result.labels)
    for month, total in zip(result.months, totals, strict=True):
        if total is None:
            continue
        for key in keys:
            counts = result.history[month].get(key)
            if counts:
                yield _sheet_row(month, result.labels[key], counts)
        yield _sheet_row(month, _("Total"), total)


def _sheet_row(month, label, counts) -> dict:
    return {
        "month": f"{month:%Y-%m}",
        "group": label,
        **counts,
        "org_rate": rate(counts["org_covered"], counts["units"]),
        "work_rate": rate(counts["org_covered"] + counts["work_covered"], counts["units"]),
    }
