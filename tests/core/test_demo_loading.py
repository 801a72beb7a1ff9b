"""Loading the demo into an empty database: the same seed gives the same data, the options, the
command's refusals. (tests/core/test_demo.py checks the content of one loaded demo.)"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dangjian.accounts.models import User
from dangjian.core.demo.generate import load_demo
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.people.models import DisclosureFollowUp, Employment, Investor, Person
from dangjian.regions.models import Region
from dangjian.units.models import InstructorAssignment, Unit, Visit, VisitAction, WorkforceReport
from tests.core.test_demo import SMALL

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """The plain content of the demo: everything but ciphertexts and account ids."""
    return {
        "regions": list(Region.objects.order_by("pk").values_list("pk", "name", "kind", "path", "latitude")),
        "units": list(
            Unit.objects.order_by("pk").values_list(
                "pk", "name", "kind", "industry", "uscc", "path", "street_id", "community_id", "address"
            )
        ),
        "organizations": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "name", "kind", "build_method", "status", "path", "street_id"
            )
        ),
        "covered": sorted(
            Organization.covered_units.through.objects.values_list("organization_id", "unit_id")
        ),
        "people": [
            (p.pk, p.name, p.gender, p.id_number, p.mobile, p.political_status)
            for p in Person.objects.order_by("pk")
        ],
        "employments": list(
            Employment.objects.order_by("pk").values_list(
                "person_id", "unit_id", "job_type", "full_time", "start_date", "end_date"
            )
        ),
        "members": list(
            CommitteeMember.objects.order_by("pk").values_list("organization_id", "person_id", "post")
        ),
        "accounts": sorted(User.objects.values_list("username", "first_name")),
        "operations": list(
            Unit.objects.order_by("pk").values_list(
                "operating_status",
                "business_scope",
                "reported_outlet_count",
                "platforms",
                "operations_updated_at",
                "operations_updated_by__username",
                "visit_interval_days",
            )
        ),
        "reports": list(
            WorkforceReport.objects.order_by("pk").values_list(
                "unit_id", "job_type", "full_time", "part_time", "reported_on", "recorded_at"
            )
        ),
        "investors": list(
            Investor.objects.order_by("pk").values_list(
                "unit_id", "person_id", "role", "share_percent", "representative_roles"
            )
        ),
        "instructors": list(
            InstructorAssignment.objects.order_by("pk").values_list(
                "unit_id", "instructor_id", "dispatched_by_id", "start_date", "end_date"
            )
        ),
        "visits": list(
            Visit.objects.order_by("pk").values_list(
                "unit_id", "visited_on", "visitors", "findings", "problems", "recorded_at"
            )
        ),
        "actions": list(
            VisitAction.objects.order_by("pk").values_list(
                "visit_id", "description", "due_on", "closed_on", "closure_note"
            )
        ),
        "follow_ups": list(
            DisclosureFollowUp.objects.order_by("pk").values_list(
                "person_id",
                "unit_id",
                "organization_id",
                "street_id",
                "created_at",
                "due_on",
                "status",
                "note",
            )
        ),
        "history": {
            model.__name__: list(
                model.history.model.objects.order_by("history_id").values_list(
                    "id", "history_type", "history_date", "history_user__username"
                )
            )
            for model in (Unit, Organization, Person, Employment, Investor, Visit, VisitAction)
        },
    }


def _load_and_snapshot(seed: int) -> dict:
    with transaction.atomic():
        load_demo(seed=seed, **SMALL)
        snapshot = _snapshot()
        transaction.set_rollback(True)  # back to an empty database for the next run
    return snapshot


def test_same_seed_gives_the_same_data():
    first = _load_and_snapshot(7)
    assert not Region.objects.exists()
    second = _load_and_snapshot(7)
    assert first == second
    other = _load_and_snapshot(8)
    assert other["people"] != first["people"]
    assert other["units"] != first["units"]
    # The census and the history follow the seed too.
    for part in ("operations", "reports", "investors", "instructors", "visits", "actions", "follow_ups"):
        assert first[part], part
        assert other[part] != first[part], part
    assert all(first["history"].values())
    assert other["history"] != first["history"]


def test_no_accounts_option():
    counts = load_demo(with_accounts=False, **SMALL)
    assert "users" not in counts
    assert not User.objects.filter(is_demo=True).exists()


def test_command_loads_an_empty_database():
    out = io.StringIO()
    call_command("load_demo", "--units", "40", "--workers", "120", "--no-accounts", "--if-empty", stdout=out)
    assert Unit.objects.count() == 40
    assert not User.objects.exists()
    assert "demo data loaded" in out.getvalue()


def test_too_small_is_refused():
    with pytest.raises(CommandError):
        call_command("load_demo", "--units", "5", "--workers", "10", stdout=io.StringIO())


def test_without_history():
    counts = load_demo(with_history=False, **SMALL)
    assert counts["history_rows"] == 0
    assert not Unit.history.model.objects.exists() and not Person.history.model.objects.exists()
    assert Visit.objects.exists() and Investor.objects.exists()


def test_large_size_writes_no_history_by_default():
    counts = load_demo(size="large", with_accounts=False, **SMALL)
    assert counts["units"] == SMALL["units"]
    assert counts["history_rows"] == 0 and not Employment.history.model.objects.exists()
