"""Monthly coverage snapshots: the daily job rewrites the current month only, idempotently."""

import datetime
import io

import pytest

from dangjian.core.management.commands.send_reminders import REMINDER_TASKS
from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.snapshot_tasks import take_coverage_snapshot
from dangjian.coverage.snapshots import add_months, take_snapshot
from dangjian.units.models import Unit
from tests.world import organization

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 9, 15)


def _rows(month):
    return {(r.street_id, r.industry, r.key_area): r for r in CoverageSnapshot.objects.filter(month=month)}


def test_snapshot_counts_the_district(world):
    result = take_snapshot(on=DAY)
    assert result == {"month": "2025-09-01", "rows": CoverageSnapshot.objects.count()}
    rows = _rows(datetime.date(2025, 9, 1))
    totals = {
        name: sum(getattr(r, name) for r in rows.values())
        for name in ("units", "org_covered", "work_covered")
    }
    assert totals == {"units": 6, "org_covered": 3, "work_covered": 1}
    shop = rows[(world.street_a.pk, "food_delivery", "")]  # the head company and the shop
    assert (shop.units, shop.org_covered, shop.work_covered, shop.not_covered) == (2, 1, 1, 0)
    assert shop.members_without_organization == 0 and shop.taken_on == DAY
    station = rows[(world.street_a.pk, "food_delivery", "delivery_station")]
    assert (station.units, station.org_covered) == (1, 1)


def test_idempotent_and_past_months_stay(world):
    take_snapshot(on=DAY)
    first = {k: (r.units, r.org_covered) for k, r in _rows(datetime.date(2025, 9, 1)).items()}
    take_snapshot(on=DAY + datetime.timedelta(days=1))
    assert {k: (r.units, r.org_covered) for k, r in _rows(datetime.date(2025, 9, 1)).items()} == first
    count = CoverageSnapshot.objects.count()
    # A branch is built for the express unit in October: October changes, September does not.
    organization(
        "滨海快递党支部", "branch", world.organizations["committee_b"], covers=[world.units["express_b"]]
    )
    take_snapshot(on=datetime.date(2025, 10, 2))
    assert {k: (r.units, r.org_covered) for k, r in _rows(datetime.date(2025, 9, 1)).items()} == first
    october = _rows(datetime.date(2025, 10, 1))
    assert october[(world.street_b.pk, "express", "")].org_covered == 1
    assert first[(world.street_b.pk, "express", "")] == (1, 0)
    assert CoverageSnapshot.objects.count() == 2 * count
    # A closed unit leaves the counts.
    Unit.objects.filter(pk=world.units["express_b"].pk).update(operating_status="closed")
    take_snapshot(on=datetime.date(2025, 10, 3))
    assert (world.street_b.pk, "express", "") not in _rows(datetime.date(2025, 10, 1))


def test_daily_job_is_a_reminder_task(world):
    assert take_coverage_snapshot in REMINDER_TASKS
    result = take_coverage_snapshot.call()
    assert result["rows"] == CoverageSnapshot.objects.count() > 0


def test_add_months():
    assert add_months(datetime.date(2025, 1, 1), -1) == datetime.date(2024, 12, 1)
    assert add_months(datetime.date(2025, 11, 1), 14) == datetime.date(2027, 1, 1)


def test_demo_snapshots(world):
    from dangjian.coverage import demo_snapshots
    from dangjian.coverage.snapshots import month_start

    out = io.StringIO()
    counts = demo_snapshots.load(seed=1, large=False, stdout=out)
    months = sorted(set(CoverageSnapshot.objects.values_list("month", flat=True)))
    today = month_start(datetime.date.today())
    assert months == [add_months(today, -n) for n in range(12, 0, -1)]  # twelve past months, not this one
    assert counts == {"coverage.CoverageSnapshot": CoverageSnapshot.objects.count()}
    for row in CoverageSnapshot.objects.all():
        assert row.units == row.org_covered + row.work_covered + row.not_covered
        assert row.org_preparing <= row.org_covered
    # The trend climbs: organizational coverage a year ago is at most today's.
    year_ago = sum(r.org_covered for r in CoverageSnapshot.objects.filter(month=months[0]))
    last_month = sum(r.org_covered for r in CoverageSnapshot.objects.filter(month=months[-1]))
    assert year_ago <= last_month
    # Deterministic from the seed.
    before = list(CoverageSnapshot.objects.order_by("month", "street", "industry", "key_area").values_list())
    CoverageSnapshot.objects.all().delete()
    demo_snapshots.load(seed=1, large=False, stdout=None)
    after = list(CoverageSnapshot.objects.order_by("month", "street", "industry", "key_area").values_list())
    assert [r[1:] for r in before] == [r[1:] for r in after]
