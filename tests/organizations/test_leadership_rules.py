"""Secretaries and leadership: the leading-group rules (pure), their numbers from the rule table,
the facts counted in SQL, and the organization page and the "leadership out of rule" list."""

import datetime
import io

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from dangjian.core.models import Rule
from dangjian.organizations import leadership_queries
from dangjian.organizations.models import Organization
from dangjian.organizations.rules import (
    BREACH,
    Facts,
    Finding,
    Limits,
    check_leadership,
    limits_from_rule_table,
    reelection_due_on,
)
from dangjian.organizations.services import appoint_committee_member
from dangjian.people.models import Person
from dangjian.spreadsheets.models import ExportLog
from tests.world import organization, person

TODAY = datetime.date(2026, 6, 1)
LIMITS = Limits()
GOOD_TERM = {"term_start": datetime.date(2025, 1, 1), "term_end": datetime.date(2028, 1, 1)}
FULL_COMMITTEE = {"secretary": 1, "organization": 1, "propaganda": 1, "discipline": 1}


def codes(facts, limits=LIMITS, today=TODAY) -> list[str]:
    return [f.code for f in check_leadership(facts, limits, today)]


def branch(**fields) -> Facts:
    values = {"kind": "branch", "full_members": 3, "posts": {"secretary": 1}, "seats": 1, **GOOD_TERM}
    values.update(fields)
    return Facts(**values)


# --- the rules, case by case ---------------------------------------------------------------------


def test_a_small_branch_with_a_secretary_meets_the_rules():
    assert codes(branch()) == []
    assert codes(branch(posts={"secretary": 1, "deputy_secretary": 1}, seats=2)) == []


def test_no_sitting_secretary_is_a_breach():
    assert codes(branch(posts={}, seats=0)) == ["no_secretary"]


def test_seven_full_members_require_a_committee_of_three_or_more():
    assert codes(branch(full_members=7, seats=1)) == ["committee_missing"]
    assert codes(branch(full_members=7, posts=FULL_COMMITTEE, seats=4)) == []
    # Six full members and a lone secretary: no committee needed.
    assert codes(branch(full_members=6, seats=1)) == []


def test_the_committee_has_at_most_seven_and_normally_five():
    assert codes(branch(full_members=30, posts=FULL_COMMITTEE, seats=6)) == ["committee_above_usual"]
    assert codes(branch(full_members=30, posts=FULL_COMMITTEE, seats=7)) == ["committee_above_usual"]
    assert codes(branch(full_members=30, posts=FULL_COMMITTEE, seats=8)) == ["committee_too_large"]


def test_a_committee_without_organization_propaganda_or_discipline_member_is_flagged():
    findings = check_leadership(
        branch(full_members=9, posts={"secretary": 1, "member": 2}, seats=3), LIMITS, TODAY
    )
    assert [f.code for f in findings] == ["committee_posts_missing"]
    assert not findings[0].is_breach
    assert "组织委员" in findings[0].message or "organization member" in findings[0].message


def test_below_seven_no_committee_and_one_deputy_at_most():
    assert codes(branch(full_members=5, posts={"secretary": 1, "propaganda": 1}, seats=2)) == [
        "committee_below_threshold"
    ]
    assert codes(branch(posts={"secretary": 1, "deputy_secretary": 2}, seats=3)) == ["too_many_deputies"]


def test_post_holders_must_be_full_members():
    findings = check_leadership(branch(holders_not_full=1), LIMITS, TODAY)
    assert [f.code for f in findings] == ["holders_not_full"]
    assert findings[0].severity == BREACH


def test_an_organization_in_a_unit_without_recorded_members_is_to_check():
    assert codes(branch(full_members=0)) == ["no_members"]
    # The working committees have no members of their own in this sense.
    assert codes(Facts(kind="street_committee", posts={"secretary": 1}, seats=1, **GOOD_TERM)) == []


def test_terms_and_reelection():
    assert codes(branch(term_start=None, term_end=None)) == ["no_term"]
    ended = branch(term_start=datetime.date(2022, 1, 1), term_end=datetime.date(2025, 1, 1))
    assert codes(ended) == ["term_expired"]
    due = branch(term_start=datetime.date(2023, 7, 1), term_end=datetime.date(2026, 7, 1))
    assert codes(due) == ["reelection_due"]
    too_long = branch(term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2028, 1, 1))
    assert codes(too_long) == ["term_too_long"]
    # A primary committee may serve five years.
    committee = Facts(
        kind="committee",
        full_members=60,
        posts={"secretary": 1},
        seats=5,
        term_start=datetime.date(2024, 1, 1),
        term_end=datetime.date(2029, 1, 1),
    )
    assert codes(committee) == []


def test_organizations_being_prepared_and_party_groups_are_not_checked():
    assert codes(branch(active=False, posts={}, seats=0, full_members=0)) == []
    assert codes(Facts(kind="group")) == []


def test_a_rule_switched_off_is_not_checked():
    off = Limits(committee_threshold=None, notice_days=None)
    assert codes(branch(full_members=40, seats=1), off) == []
    due = branch(term_start=datetime.date(2023, 7, 1), term_end=datetime.date(2026, 7, 1))
    assert codes(due, off) == []


def test_breaches_come_before_notices():
    findings = check_leadership(
        branch(posts={"secretary": 0}, seats=0, full_members=0, term_start=None, term_end=None), LIMITS, TODAY
    )
    assert [f.code for f in findings] == ["no_secretary", "no_members", "no_term"]


def test_reelection_due_on_falls_back_to_start_plus_term():
    assert reelection_due_on(None, datetime.date(2027, 3, 1), 3) == datetime.date(2027, 3, 1)
    assert reelection_due_on(datetime.date(2024, 2, 29), None, 3) == datetime.date(2027, 2, 28)
    assert reelection_due_on(None, None, 3) is None


# --- the rules as properties ---------------------------------------------------------------------

# The test machine is shared: drawing inputs may stall now and then; the rules themselves are instant.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
posts_st = st.fixed_dictionaries(
    {},
    optional={
        post: st.integers(min_value=0, max_value=3)
        for post in ("secretary", "deputy_secretary", "organization", "propaganda", "discipline", "member")
    },
)


@relaxed
@given(
    full=st.integers(min_value=0, max_value=200),
    seats=st.integers(min_value=0, max_value=12),
    posts=posts_st,
    threshold=st.integers(min_value=1, max_value=15),
    low=st.integers(min_value=1, max_value=6),
    high=st.integers(min_value=1, max_value=10),
)
def test_branch_size_findings_follow_the_thresholds(full, seats, posts, threshold, low, high):
    limits = Limits(committee_threshold=threshold, committee_min=low, committee_max=low + high)
    found = set(codes(branch(full_members=full, seats=seats, posts=posts), limits))
    assert ("committee_missing" in found) == (full >= threshold and seats < low)
    assert ("committee_too_large" in found) == (full >= threshold and seats > low + high)
    extra = sum(n for post, n in posts.items() if post not in ("secretary", "deputy_secretary"))
    assert ("committee_below_threshold" in found) == (full < threshold and extra > 0)
    assert ("too_many_deputies" in found) == (full < threshold and posts.get("deputy_secretary", 0) > 1)
    assert ("no_secretary" in found) == (not posts.get("secretary"))


@relaxed
@given(
    kind=st.sampled_from(
        ["two_new_committee", "comprehensive_committee", "street_committee", "town_committee"]
    ),
    full=st.integers(min_value=0, max_value=500),
    seats=st.integers(min_value=0, max_value=30),
)
def test_working_committees_never_get_branch_size_findings(kind, full, seats):
    found = codes(Facts(kind=kind, full_members=full, seats=seats, posts={"secretary": 1}, **GOOD_TERM))
    assert found == []


@relaxed
@given(
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
    length=st.integers(min_value=1, max_value=3000),
    today=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2035, 12, 31)),
)
def test_a_term_is_expired_exactly_when_its_end_has_passed(start, length, today):
    end = start + datetime.timedelta(days=length)
    found = codes(branch(term_start=start, term_end=end), today=today)
    assert ("term_expired" in found) == (end < today)
    assert not ("term_expired" in found and "reelection_due" in found)
    findings = check_leadership(branch(term_start=start, term_end=end), LIMITS, today)
    severities = [f.is_breach for f in findings]
    assert severities == sorted(severities, reverse=True)  # breaches first


# --- the rule table ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_numbers_come_from_the_rule_table_with_national_defaults():
    limits = limits_from_rule_table()
    assert (limits.committee_threshold, limits.committee_min, limits.committee_usual_max) == (7, 3, 5)
    assert (limits.committee_max, limits.max_deputies_without_committee) == (7, 1)
    assert (limits.branch_term_years, limits.committee_term_years, limits.notice_days) == (3, 5, 90)
    rule = Rule.objects.get(key="branch-committee-member-threshold")
    assert rule.national_default == 7 and "第九条" in rule.source
    Rule.objects.filter(key="branch-committee-member-threshold").update(value=5)
    Rule.objects.filter(key="branch-committee-max-size").update(enabled=False)
    limits = limits_from_rule_table()
    assert limits.committee_threshold == 5 and limits.committee_max is None


# --- facts counted in SQL, the organization page and the list -------------------------------------


def _members(org, n: int, status=Person.PoliticalStatus.FULL_MEMBER, prefix="党员"):
    people = [person(f"{prefix}{i}") for i in range(n)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(
        party_organization=org, political_status=status
    )
    return people


@pytest.mark.django_db
def test_facts_are_counted_from_members_and_sitting_posts(world):
    branch_a = world.organizations["branch_a"]
    people = _members(branch_a, 8)
    _members(branch_a, 2, status=Person.PoliticalStatus.PROBATIONARY_MEMBER, prefix="预备")
    # 李书记 (the world's secretary) is not recorded as a full member.
    appoint_committee_member(
        actor=None,
        organization=branch_a,
        person=people[0],
        post="organization",
        start_date=datetime.date(2024, 1, 1),
    )
    appoint_committee_member(
        actor=None,
        organization=branch_a,
        person=people[0],
        post="propaganda",
        start_date=datetime.date(2024, 1, 1),
    )
    appoint_committee_member(
        actor=None,
        organization=branch_a,
        person=people[1],
        post="discipline",
        start_date=datetime.date(2024, 1, 1),
    )
    annotated = leadership_queries.with_leadership_facts(Organization.objects.filter(pk=branch_a.pk)).get()
    facts = leadership_queries.facts_of(annotated)
    assert facts.full_members == 8  # probationary members do not count
    assert facts.seats == 3  # 李书记 and two members, one holding two posts
    assert facts.posts["secretary"] == 1 and facts.posts["propaganda"] == 1
    assert facts.holders_not_full == 1  # 李书记's status is not recorded


@pytest.mark.django_db
def test_the_organization_page_shows_the_findings(client, world):
    branch_a = world.organizations["branch_a"]
    _members(branch_a, 7)
    client.force_login(world.users["branch_secretary"])
    page = client.get(f"/organizations/{branch_a.pk}/").content.decode()
    assert 'data-testid="leadership-findings"' in page
    assert 'data-testid="full-members">7<' in page
    # Seven full members and only a secretary; the term (2022-2025) has run out.
    with translation.override("zh-hans"):
        missing = Finding("committee_missing", {"members": 7, "min": 3, "seats": 1}).message
        expired = Finding("term_expired", {"end": "2025-01-01"}).message
    assert missing in page and expired in page


@pytest.mark.django_db
def test_the_list_is_scoped_filtered_and_exported(client, world):
    client.force_login(world.users["street_a"])
    rows = leadership_queries.leadership_list(world.users["street_a"], today=TODAY)
    names = {row.name for row in rows}
    assert "中山外卖联合党支部" in names and "滨海直播党支部" not in names
    branch_a = next(row for row in rows if row.name == "中山外卖联合党支部")
    assert "term_expired" in {f.code for f in branch_a.findings}

    page = client.get("/organizations/leadership/", {"code": "term_expired"}).content.decode()
    assert "中山外卖联合党支部" in page and "滨海直播党支部" not in page
    page = client.get("/organizations/leadership/", {"code": "too_many_deputies"}).content.decode()
    assert "中山外卖联合党支部" not in page

    response = client.get("/organizations/leadership/export.xlsx", {"code": "term_expired"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header_at = next(i for i, row in enumerate(sheet) if "党组织名称" in row)
    assert [row[0] for row in sheet[header_at + 1 :]] == ["中山外卖联合党支部"]
    assert "李书记" in sheet[header_at + 1]
    assert ExportLog.objects.filter(user=world.users["street_a"], what="leadership", rows=1).exists()


@pytest.mark.django_db
def test_the_list_shows_only_active_checked_organizations(world):
    street = world.street_b
    organization(
        "滨海筹备党支部",
        Organization.Kind.BRANCH,
        world.organizations["committee_b"],
        street=street,
        status=Organization.Status.PREPARING,
    )
    rows = leadership_queries.leadership_list(world.users["street_b"], today=TODAY)
    assert "滨海筹备党支部" not in {row.name for row in rows}
    # 滨海直播党支部 has neither secretary nor recorded members: out of rule.
    live = next(row for row in rows if row.name == "滨海直播党支部")
    assert [f.code for f in live.findings][:2] == ["no_secretary", "no_members"]
