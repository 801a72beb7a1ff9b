"""Concurrent approvals never overspend a care fund (PostgreSQL: real row locks, many connections).

Each thread opens its own database connection and all of them approve at the same moment (a
barrier). The fund's budget fits only some of the applications: exactly those must be approved,
the rest refused for the budget, and what is approved never exceeds the budget.

On SQLite the test is skipped: SQLite has no row locks (it serializes whole write transactions),
so it could not show that the locking works. CI runs it on PostgreSQL, as does:
DATABASE_URL=postgres://app_test:app_test@127.0.0.1:5432/app_carefund \
    .venv/bin/pytest tests/care/test_fund_concurrency.py
"""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from dangjian.accounts.models import Role
from dangjian.care import fund
from dangjian.care.models import CareApplication, CareCategory, CareDecision, CareDocument, CareFund
from dangjian.core.choices import Industry
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment, Person
from dangjian.regions.models import Region
from tests.world import organization, region, unit, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SQLite serializes whole transactions); "
        "run with DATABASE_URL=postgres://... as CI does",
    ),
]

AMOUNT = 1_000_00  # 1,000 yuan each
APPLICATIONS = 20
BUDGET = 10_500_00  # room for ten approvals, not eleven


def _reviewed_applications(n: int):
    """A fund and ``n`` applications reviewed by the street, each by a different worker."""
    district = region("龙华区", Region.Kind.DISTRICT)
    street = region("中山街道", Region.Kind.STREET, district)
    root = organization("两新工委", Organization.Kind.TWO_NEW_COMMITTEE, None)
    workplace = unit("并发测试站点", street, industry=Industry.LIVESTREAMING)
    care_fund = CareFund.objects.create(
        name="并发测试基金", committee=root, year=datetime.date.today().year, budget_fen=BUDGET
    )
    category = CareCategory.objects.get(kind="accident")
    reviewer = user("reviewer", Role.STREET_STAFF, region=street)
    applications = []
    for i in range(n):
        person = Person.objects.create(name=f"骑手{i:02d}")
        Employment.objects.create(
            person=person, unit=workplace, job_type="livestreamer", start_date=datetime.date(2024, 1, 1)
        )
        application = CareApplication.objects.create(
            fund=care_fund,
            category=category,
            person=person,
            unit=workplace,
            street=street,
            job_type="livestreamer",
            amount_fen=AMOUNT,
            reason="并发测试",
            status=CareApplication.Status.REVIEWED,
        )
        CareDecision.objects.create(
            application=application, step="review", outcome="passed", reason="属实", decided_by=reviewer
        )
        for kind in category.required_documents:
            CareDocument.objects.create(
                application=application,
                kind=kind,
                file=f"care/fund/{application.pk}/{kind}.png",
                original_name=f"{kind}.png",
                content_type="image/png",
                size=1,
            )
        applications.append(application)
    return care_fund, root, applications


def _all_at_once(calls):
    """Run the calls in threads released together; each thread has its own connection.
    Returns [(index, result or exception)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting: deadlock?"
    return results


def test_concurrent_approvals_never_overspend_the_budget(monkeypatch):
    care_fund, root, applications = _reviewed_applications(APPLICATIONS)
    # Widen the race: each approval waits a moment between reading the fund's totals and writing
    # its approval. Without the row locks (fund.py `_lock`) every thread would read the same
    # totals in that moment and all would be approved (checked by removing the locks: it fails).
    read_totals = fund.fund_totals

    def slow_totals(fund_pk):
        totals = read_totals(fund_pk)
        time.sleep(0.1)
        return totals

    monkeypatch.setattr(fund, "fund_totals", slow_totals)
    approvers = [user(f"approver{i}", Role.COMMITTEE_STAFF, organization=root) for i in range(4)]

    def approval(i, application):
        return lambda: fund.decide_application(
            actor=approvers[i % len(approvers)], application=application, approve=True, reason="同意"
        )

    results = _all_at_once([approval(i, a) for i, a in enumerate(applications)])

    approved = [r for r in results if isinstance(r, CareApplication)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) + len(refused) == APPLICATIONS, [
        r for r in results if not isinstance(r, CareApplication | ValidationError)
    ]
    assert len(approved) == BUDGET // AMOUNT == 10
    assert all("500.00" in " ".join(r.messages) for r in refused)  # what was left when refused
    reserved, paid = fund.fund_totals(care_fund.pk)
    assert (reserved, paid) == (10 * AMOUNT, 0)
    assert reserved + paid <= CareFund.objects.get(pk=care_fund.pk).budget_fen
    assert CareApplication.objects.filter(status="approved").count() == 10
    assert CareDecision.objects.filter(step="approval").count() == 10


def test_one_application_approved_at_once_by_many_is_approved_once():
    care_fund, root, (application,) = _reviewed_applications(1)
    approvers = [user(f"approver{i}", Role.COMMITTEE_STAFF, organization=root) for i in range(8)]
    results = _all_at_once(
        [
            (
                lambda who=who: fund.decide_application(
                    actor=who, application=application, approve=True, reason="同意"
                )
            )
            for who in approvers
        ]
    )
    assert sum(isinstance(r, CareApplication) for r in results) == 1
    assert all(isinstance(r, CareApplication | ValidationError) for r in results), results
    assert CareDecision.objects.filter(application=application, step="approval").count() == 1
    assert fund.fund_totals(care_fund.pk) == (AMOUNT, 0)
