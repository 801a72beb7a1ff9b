"""Monthly coverage snapshots: the campaign's counts per street, industry and key area, kept so
the trend survives later edits.

``take_snapshot(on=day)`` writes the month of ``day`` as the district stands on ``day``, replacing
that month's rows (idempotent); the daily job (``snapshot_tasks.take_coverage_snapshot``, in
``send_reminders``) calls it with today, so a month's rows end up as the month's last run left
them, and no later run touches a past month. Rows are aggregates written by the system, not
edits of a record, so they are written in bulk without audit events.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.queries import CLOSED_STATUSES, COUNT_FIELDS, annotate_coverage, coverage_counts
from dangjian.coverage.rules import Thresholds
from dangjian.units.models import Unit

GROUP_FIELDS = ("street_id", "industry", "key_area")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def district_counts(*, on: datetime.date, limits: Thresholds | None = None) -> list[dict]:
    """The counts of the whole district on ``on``, one dict per (street, industry, key area)."""
    units = annotate_coverage(
        Unit.objects.exclude(operating_status__in=CLOSED_STATUSES), on=on, limits=limits
    )
    return list(units.order_by().values(*GROUP_FIELDS).annotate(**coverage_counts()))


def take_snapshot(*, on: datetime.date | None = None) -> dict:
    """Write (or rewrite) the snapshot of the month of ``on``; return the month and row count."""
    on = on or timezone.localdate()
    month = month_start(on)
    rows = [
        CoverageSnapshot(
            month=month, taken_on=on, **{field: row[field] for field in (*GROUP_FIELDS, *COUNT_FIELDS)}
        )
        for row in district_counts(on=on)
    ]
    with transaction.atomic():
        CoverageSnapshot.objects.filter(month=month).delete()
        CoverageSnapshot.objects.bulk_create(rows, batch_size=1000)
    return {"month": month.isoformat(), "rows": len(rows)}
