"""Two staff accepting, at the same moment, two groups (of two planner runs) that share units: only
one joint branch is created (PostgreSQL).

Each thread has its own connection and transaction, starts at a barrier and keeps its transaction
open a moment after accepting. Without the row locks on the group's units both would see the units
uncovered and both create a branch; with them, the second waits for the first to commit and then
finds the units covered.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from dangjian.coverage import proposals
from dangjian.organizations.models import Organization
from tests.coverage.test_proposals import small_unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT ... FOR UPDATE) and concurrent writers; SQLite "
        "serializes all writers on one database lock. Run with DATABASE_URL=postgres://...",
    ),
]

HOLD_SECONDS = 0.3


def test_two_groups_sharing_units_accepted_at_once_make_one_branch(world):
    units = [small_unit(f"中山并发店{i}", world.street_a, north_m=150 * i) for i in range(3)]
    staff = world.users["street_a"]
    groups = [proposals.start_proposal(actor=staff, street=world.street_a).groups.get() for _ in range(2)]
    assert {frozenset(g.units.values_list("pk", flat=True)) for g in groups} == {
        frozenset(u.pk for u in units)
    }

    barrier = threading.Barrier(2)
    results = [None, None]

    def accept(i):
        try:
            barrier.wait()
            with transaction.atomic():
                proposals.accept_group(actor=staff, group=groups[i], name=f"并发联合党支部{i}")
                time.sleep(HOLD_SECONDS)
            results[i] = "ok"
        except ValidationError:
            results[i] = "refused"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, results)) == ["ok", "refused"], results
    assert Organization.objects.filter(name__startswith="并发联合党支部").count() == 1
