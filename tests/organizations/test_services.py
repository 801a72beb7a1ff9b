import datetime

import pytest

from dangjian.core.models import Rule
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.organizations.queries import reelection_due
from dangjian.organizations.services import appoint_committee_member, default_term_end

pytestmark = pytest.mark.django_db


def _branch(**fields):
    return Organization(name="测试党支部", kind=Organization.Kind.BRANCH, **fields)


def test_term_end_defaults_from_the_rule_table():
    assert default_term_end(_branch(term_start=datetime.date(2024, 3, 1))) == datetime.date(2027, 3, 1)
    committee = Organization(
        name="党委", kind=Organization.Kind.COMMITTEE, term_start=datetime.date(2024, 2, 29)
    )
    assert default_term_end(committee) == datetime.date(2029, 2, 28)


def test_the_district_can_change_or_switch_off_a_term_rule():
    Rule.objects.filter(key="branch-term-years").update(value=5)
    assert default_term_end(_branch(term_start=datetime.date(2024, 3, 1))) == datetime.date(2029, 3, 1)
    Rule.objects.filter(key="branch-term-years").update(enabled=False)
    assert default_term_end(_branch(term_start=datetime.date(2024, 3, 1))) is None


def test_reelection_flags(world):
    today = datetime.date(2026, 11, 27)
    branch = world.organizations["branch_a"]  # term 2022-01-01 .. 2025-01-01
    assert branch.reelection_state(today, 90) == "overdue"
    branch.term_end = datetime.date(2027, 1, 15)
    assert branch.reelection_state(today, 90) == "due"
    assert branch.reelection_state(today, None) == ""
    branch.term_end = datetime.date(2028, 1, 1)
    assert branch.reelection_state(today, 90) == ""
    due = reelection_due(world.users["street_a"], today)
    assert list(due) == [world.organizations["branch_a"]]


def test_a_new_secretary_ends_the_sitting_one(world):
    branch = world.organizations["branch_a"]
    appoint_committee_member(
        actor=world.users["district_admin"],
        organization=branch,
        person=world.people["committee_member"],
        post=CommitteeMember.Post.SECRETARY,
        start_date=datetime.date(2026, 1, 1),
    )
    sitting = CommitteeMember.objects.filter(organization=branch, post="secretary", end_date__isnull=True)
    assert [m.person.name for m in sitting] == ["赵委员"]
    ended = CommitteeMember.objects.get(organization=branch, person=world.people["secretary"])
    assert ended.end_date == datetime.date(2026, 1, 1)


def test_the_rule_table_sync_adds_missing_rules_and_keeps_district_values():
    from dangjian.core.rules import RULES, sync_rule_table

    Rule.objects.filter(key="branch-term-years").update(value=4)
    Rule.objects.filter(key="committee-term-years").delete()
    sync_rule_table()
    assert Rule.objects.get(key="branch-term-years").value == 4
    assert Rule.objects.get(key="committee-term-years").value == 5
    assert Rule.objects.count() == len(RULES)
