"""Two admissions at once cannot both take the last unit of a quota (PostgreSQL).

Each thread has its own database connection (Django keeps one per thread), starts together with
the others at a barrier, calls the service inside its own transaction and keeps that transaction
open a moment before committing. Without the row lock every thread would count the uses committed
so far (none), see one unit left and take it; with it, the others wait for the first to commit and
then see the unit gone.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from dangjian.membership.models import DevelopmentQuota, QuotaUse
from dangjian.membership.quotas import QuotaError, QuotaExhausted, allocate_quota, use_quota
from tests.world import person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and concurrent writers; SQLite "
        "serializes all writers on one database lock. Run with DATABASE_URL=postgres://...",
    ),
]

YEAR = 2031  # not the current year: the world holds this year's quotas
HOLD_SECONDS = 0.3  # how long each winner keeps its transaction open: the window a race needs


def _race(jobs):
    """Run the callables at the same moment, each in its own thread, connection and transaction;
    return [("ok", value) | ("refused", error)] in job order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            with transaction.atomic():
                value = job()
                time.sleep(HOLD_SECONDS)
            results[i] = ("ok", value)
        except QuotaError as error:
            results[i] = ("refused", error)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(result is not None for result in results), results
    assert not [r for r in results if r[0] == "error"], results
    return results


def test_two_plus_admissions_racing_for_the_last_unit_only_one_wins(world):
    allocate_quota(actor=None, organization=world.organizations["root"], year=YEAR, amount=5)
    quota = allocate_quota(actor=None, organization=world.organizations["committee_a"], year=YEAR, amount=1)
    branch = world.organizations["branch_a"]
    candidates = [person(f"竞争者{i}") for i in range(4)]

    results = _race(
        [lambda p=p: use_quota(organization=branch, year=YEAR, person=p, actor=None).pk for p in candidates]
    )
    assert [r[0] for r in results].count("ok") == 1, results
    assert all(isinstance(r[1], QuotaExhausted) for r in results if r[0] == "refused")
    assert QuotaUse.objects.filter(quota=quota).count() == 1


def test_allocations_racing_for_the_same_units_never_overflow(world):
    allocate_quota(actor=None, organization=world.organizations["root"], year=YEAR, amount=5)
    committees = [
        world.organizations["committee_a"],
        world.organizations["committee_b"],
        world.organizations["committee"],
    ]

    results = _race(
        [lambda c=c: allocate_quota(actor=None, organization=c, year=YEAR, amount=3).pk for c in committees]
    )
    assert [r[0] for r in results].count("ok") == 1, results
    given = sum(
        DevelopmentQuota.objects.filter(
            parent__organization=world.organizations["root"], year=YEAR
        ).values_list("amount", flat=True)
    )
    assert given == 3


def test_an_admission_and_an_allocation_racing_for_the_last_unit(world):
    root = allocate_quota(actor=None, organization=world.organizations["root"], year=YEAR, amount=1)
    results = _race(
        [
            lambda: (
                use_quota(
                    organization=world.organizations["branch_b"],
                    year=YEAR,
                    person=person("竞争者甲"),
                    actor=None,
                ).pk
            ),
            lambda: (
                allocate_quota(
                    actor=None, organization=world.organizations["committee_a"], year=YEAR, amount=1
                ).pk
            ),
        ]
    )
    assert [r[0] for r in results].count("ok") == 1, results
    used = QuotaUse.objects.filter(quota=root).count()
    onward = sum(DevelopmentQuota.objects.filter(parent=root).values_list("amount", flat=True))
    assert used + onward == 1
