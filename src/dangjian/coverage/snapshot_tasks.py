"""The daily job that keeps this month's coverage snapshot (``manage.py send_reminders``).

Idempotent: it rewrites the current month's rows as the district stands today, so running it
twice, or every day of the month, leaves one set of rows per month; past months stay as they were.
"""

from django.utils import timezone
from django_tasks import task

from dangjian.coverage.snapshots import take_snapshot


@task()
def take_coverage_snapshot() -> dict:
    return take_snapshot(on=timezone.localdate())
