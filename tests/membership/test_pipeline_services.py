"""The development pipeline's writes (membership/services.py): applications and steps, refused
and overridden, the quota used at admission, the person's status, the rule table as data (per
organization too), who may write, and the daily reminders."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from dangjian.core.audit import save_tracked
from dangjian.core.models import AuditEvent, Notification
from dangjian.membership.models import (
    DevelopmentQuota,
    DevelopmentRecord,
    DevelopmentRule,
    DevelopmentRuleOverride,
    DevelopmentStep,
    QuotaUse,
)
from dangjian.membership.pipeline_defaults import DEFAULTS, sync_development_rules
from dangjian.membership.services import (
    StepRefused,
    find_applicant,
    record_step,
    rules_for,
    start_application,
)
from dangjian.membership.tasks import remind_about_development
from dangjian.people.models import Person
from tests.world import make_id_number, person

D = datetime.date
K = DevelopmentStep.Kind
S = DevelopmentRecord.Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(world):
    return world.organizations["branch_a"]


@pytest.fixture
def members(world, branch):
    """Three full members of branch_a: contacts and introducers."""
    people = []
    for name in ("张正式", "李正式", "王正式"):
        member = person(name, works_at=world.units["shop_a"])
        member.political_status = Person.PoliticalStatus.FULL_MEMBER
        member.party_organization = branch
        save_tracked(member, actor=None)
        people.append(member)
    return people


def quota(world, year: int, amount: int = 5) -> DevelopmentQuota:
    quota = DevelopmentQuota(year=year, organization=world.organizations["root"], amount=amount)
    save_tracked(quota, actor=None)
    return quota


def applicant(world, name="吴申请", birth="19980720"):
    obj = Person(
        name=name, id_number=make_id_number(birth), political_status=Person.PoliticalStatus.LEAGUE_MEMBER
    )
    save_tracked(obj, actor=None)
    return obj


def step(actor, record, kind, on, **fields):
    return record_step(actor=actor, record=record, kind=kind, on=on, **fields)


def to_target(actor, record, members):
    step(actor, record, K.FIRST_TALK, D(2023, 3, 20))
    step(actor, record, K.ACTIVIST, D(2023, 5, 1))
    step(actor, record, K.CONTACTS, D(2023, 5, 1), people=members[:2])
    step(actor, record, K.REVIEW, D(2023, 11, 1))
    step(actor, record, K.REVIEW, D(2024, 4, 20))
    step(actor, record, K.TARGET, D(2024, 5, 10))


def to_vote(actor, record, members):
    to_target(actor, record, members)
    step(actor, record, K.POLITICAL_REVIEW, D(2024, 6, 1))
    step(actor, record, K.TRAINING, D(2024, 6, 20), days=3)
    step(actor, record, K.INTRODUCERS, D(2024, 7, 1), people=members[1:3])


def test_the_rule_table_is_seeded_with_the_defaults_and_never_overwritten():
    assert set(DevelopmentRule.objects.values_list("key", flat=True)) == {d.key for d in DEFAULTS}
    local = DevelopmentRule.objects.filter(national=False)
    assert local.count() == 3 and not local.filter(enabled=True).exists()
    rule = DevelopmentRule.objects.get(key="first-talk-within-one-month")
    assert (rule.max_value, rule.unit, rule.enabled) == (1, "months", True)
    assert "一个月内" in rule.source and "发展党员工作细则" in rule.source
    rule.max_value = 2
    rule.save()
    sync_development_rules()
    rule.refresh_from_db()
    assert rule.max_value == 2 and rule.default_max == 1


def test_one_person_walks_from_application_to_full_member(world, branch, members):
    secretary = world.users["branch_secretary"]
    quota(world, 2024)
    person_ = applicant(world)
    record = start_application(actor=secretary, organization=branch, person=person_, applied_on=D(2023, 3, 1))
    assert (record.stage, record.stage_since, record.applied_on) == (
        S.APPLICANT,
        D(2023, 3, 1),
        D(2023, 3, 1),
    )
    to_vote(secretary, record, members)
    record.refresh_from_db()
    assert (record.stage, record.stage_since) == (S.DEVELOPMENT_TARGET, D(2024, 5, 10))

    step(secretary, record, K.VOTE, D(2024, 7, 20))
    record.refresh_from_db()
    person_.refresh_from_db()
    assert (record.stage, record.stage_since) == (S.PROBATIONARY_MEMBER, D(2024, 7, 20))
    assert record.status_before_admission == Person.PoliticalStatus.LEAGUE_MEMBER
    assert person_.political_status == Person.PoliticalStatus.PROBATIONARY_MEMBER
    assert person_.party_organization == branch
    use = QuotaUse.objects.get(person=person_)
    assert (use.quota.year, use.organization, use.used_on) == (2024, branch, D(2024, 7, 20))
    assert record.steps.filter(kind=K.PROBATION_START, on=D(2024, 7, 20)).exists()

    step(secretary, record, K.APPROVAL, D(2024, 9, 1))
    step(secretary, record, K.FULL_MEMBERSHIP, D(2025, 7, 20))
    record.refresh_from_db()
    person_.refresh_from_db()
    assert record.stage == S.FULL_MEMBER
    assert person_.political_status == Person.PoliticalStatus.FULL_MEMBER
    assert person_.party_organization == branch
    kinds = list(record.steps.values_list("kind", flat=True))
    assert kinds == [
        K.APPLICATION, K.FIRST_TALK, K.ACTIVIST, K.CONTACTS, K.REVIEW, K.REVIEW, K.TARGET,
        K.POLITICAL_REVIEW, K.TRAINING, K.INTRODUCERS, K.VOTE, K.PROBATION_START, K.APPROVAL,
        K.FULL_MEMBERSHIP,
    ]  # fmt: skip
    assert set(record.steps.values_list("recorded_by", flat=True)) == {secretary.pk}
    contacts = record.steps.get(kind=K.CONTACTS)
    assert set(contacts.people.all()) == set(members[:2])
    # Every write is audited: the record, each step, the person's status.
    step_type = ContentType.objects.get_for_model(DevelopmentStep)
    assert (
        AuditEvent.objects.filter(content_type=step_type, object_id__in=record.steps.values("pk")).count()
        >= 14
    )
    person_events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=person_.pk, actor=secretary
    )
    assert person_events.count() == 2


def test_a_step_breaking_a_rule_is_refused_with_the_rule_and_the_dates(world, branch):
    record = start_application(
        actor=world.users["branch_secretary"],
        organization=branch,
        person=applicant(world),
        applied_on=D(2025, 1, 5),
    )
    with pytest.raises(StepRefused) as refused:
        step(world.users["branch_secretary"], record, K.FIRST_TALK, D(2025, 2, 10))
    assert not refused.value.overridable
    (message,) = refused.value.messages
    assert "收到入党申请书后一个月内谈话" in message
    assert "2025-01-05" in message and "2025-02-10" in message
    assert not record.steps.filter(kind=K.FIRST_TALK).exists()
    # The secretary cannot set the rule aside by giving a reason.
    with pytest.raises(StepRefused):
        step(world.users["branch_secretary"], record, K.FIRST_TALK, D(2025, 2, 10), override_reason="补录")


def test_a_district_administrator_overrides_with_a_recorded_reason(world, branch):
    admin = world.users["district_admin"]
    record = start_application(
        actor=admin, organization=branch, person=applicant(world), applied_on=D(2025, 1, 5)
    )
    with pytest.raises(StepRefused) as refused:
        step(admin, record, K.FIRST_TALK, D(2025, 2, 10))
    assert refused.value.overridable  # a reason is all that is missing
    talk = step(
        admin, record, K.FIRST_TALK, D(2025, 2, 10), override_reason="申请人春节返乡，经街道工委同意延后谈话"
    )
    talk.refresh_from_db()
    assert talk.override_reason == "申请人春节返乡，经街道工委同意延后谈话"
    assert talk.overridden_by == admin
    assert [item["rule"] for item in talk.overridden_rules] == ["first-talk-within-one-month"]
    event = AuditEvent.objects.get(
        action="development_rule_overridden",
        content_type=ContentType.objects.get_for_model(DevelopmentRecord),
        object_id=record.pk,
    )
    assert event.actor == admin
    assert "2025-02-10" in event.changes["overridden_rules"][1]
    assert event.changes["override_reason"][1] == talk.override_reason


def test_the_order_of_the_pipeline_is_not_overridable(world, branch):
    admin = world.users["district_admin"]
    record = start_application(
        actor=admin, organization=branch, person=applicant(world), applied_on=D(2025, 1, 5)
    )
    with pytest.raises(StepRefused) as refused:
        step(admin, record, K.TARGET, D(2025, 3, 1), override_reason="试图跳过")
    assert not refused.value.overridable
    assert record.steps.count() == 1


# The transitions that carry a rule of the table: refused for the secretary, overridden by the
# district with a reason. (record builder, step, date, fields, rule broken)
def _applied(world, actor, branch, members):
    return start_application(
        actor=actor, organization=branch, person=applicant(world), applied_on=D(2023, 3, 1)
    )


def _activist(world, actor, branch, members):
    record = _applied(world, actor, branch, members)
    step(actor, record, K.FIRST_TALK, D(2023, 3, 20))
    step(actor, record, K.ACTIVIST, D(2023, 5, 1))
    return record


def _with_contacts(world, actor, branch, members):
    record = _activist(world, actor, branch, members)
    step(actor, record, K.CONTACTS, D(2023, 5, 1), people=members[:1])
    step(actor, record, K.REVIEW, D(2023, 11, 1))
    return record


def _target(world, actor, branch, members):
    record = _applied(world, actor, branch, members)
    to_target(actor, record, members)
    return record


def _voted(world, actor, branch, members):
    quota(world, 2024)
    record = _applied(world, actor, branch, members)
    to_vote(actor, record, members)
    step(actor, record, K.VOTE, D(2024, 7, 20))
    return record


def _approved(world, actor, branch, members):
    record = _voted(world, actor, branch, members)
    step(actor, record, K.APPROVAL, D(2024, 9, 1))
    return record


OVERRIDABLE = [
    (_applied, K.FIRST_TALK, D(2023, 4, 2), {}, "first-talk-within-one-month"),
    (_activist, K.CONTACTS, D(2023, 5, 2), {"people": 3}, "activist-contacts"),
    (_with_contacts, K.TARGET, D(2024, 3, 1), {}, "activist-one-year-before-target"),
    (_target, K.INTRODUCERS, D(2024, 6, 1), {"people": 1}, "two-introducers"),
    (_target, K.TRAINING, D(2024, 6, 1), {"hours": 16}, "concentrated-training-length"),
    (_voted, K.APPROVAL, D(2024, 11, 1), {}, "approval-within-three-months"),
    (_approved, K.EXTENSION, D(2025, 7, 20), {"months": 3}, "probation-extension"),
    (_approved, K.FULL_MEMBERSHIP, D(2025, 7, 1), {}, "probation-one-year"),
]


@pytest.mark.parametrize(("build", "kind", "on", "fields", "rule"), OVERRIDABLE)
def test_each_ruled_transition_is_refused_then_overridden(
    world, branch, members, build, kind, on, fields, rule
):
    admin, secretary = world.users["district_admin"], world.users["branch_secretary"]
    record = build(world, secretary, branch, members)
    if "people" in fields:
        fields = {**fields, "people": members[: fields["people"]]}
    before = record.steps.count()
    with pytest.raises(StepRefused) as refused:
        step(secretary, record, kind, on, **fields)
    assert [v.rule for v in refused.value.violations] == [rule]
    assert record.steps.count() == before
    done = step(admin, record, kind, on, override_reason="经区委组织部研究同意", **fields)
    assert [item["rule"] for item in done.overridden_rules] == [rule]
    assert record.steps.count() == before + 1


def test_an_under_age_application_is_refused_and_may_be_overridden(world, branch):
    young = applicant(world, name="少年", birth="20080601")
    with pytest.raises(StepRefused) as refused:
        start_application(
            actor=world.users["branch_secretary"], organization=branch, person=young, applied_on=D(2026, 1, 5)
        )
    assert "入党申请人年满18周岁" in refused.value.messages[0]
    assert not DevelopmentRecord.objects.filter(person=young).exists()
    record = start_application(
        actor=world.users["district_admin"],
        organization=branch,
        person=young,
        applied_on=D(2026, 1, 5),
        override_reason="测试突破",
    )
    assert record.steps.get().overridden_rules[0]["rule"] == "applicant-minimum-age"


def test_no_quota_no_admission(world, branch, members):
    secretary = world.users["branch_secretary"]
    record = start_application(
        actor=secretary, organization=branch, person=applicant(world), applied_on=D(2023, 3, 1)
    )
    to_vote(secretary, record, members)
    with pytest.raises(Exception) as refused:
        step(secretary, record, K.VOTE, D(2024, 7, 20))
    assert "2024" in str(refused.value)
    record.refresh_from_db()
    assert record.stage == S.DEVELOPMENT_TARGET
    assert not record.steps.filter(kind__in=[K.VOTE, K.PROBATION_START]).exists()
    assert Person.objects.get(pk=record.person_id).political_status == Person.PoliticalStatus.LEAGUE_MEMBER

    # The last unit goes to the first admission; the second is refused and leaves nothing behind.
    quota(world, 2024, amount=1)
    step(secretary, record, K.VOTE, D(2024, 7, 20))
    other = start_application(
        actor=secretary, organization=branch, person=applicant(world, name="郑申请"), applied_on=D(2023, 3, 1)
    )
    to_vote(secretary, other, members)
    with pytest.raises(Exception, match="2024"):
        step(secretary, other, K.VOTE, D(2024, 7, 21))
    other.refresh_from_db()
    assert other.stage == S.DEVELOPMENT_TARGET
    assert QuotaUse.objects.filter(quota__year=2024).count() == 1


def test_cancellation_puts_the_status_back(world, branch, members):
    secretary = world.users["branch_secretary"]
    record = _voted(world, secretary, branch, members)
    step(secretary, record, K.CANCELLATION, D(2025, 1, 10), notes="预备期内不履行党员义务")
    record.refresh_from_db()
    person_ = Person.objects.get(pk=record.person_id)
    assert record.stage == S.CANCELLED
    assert person_.political_status == Person.PoliticalStatus.LEAGUE_MEMBER
    assert person_.party_organization is None
    # The record is closed: the person may apply again later.
    again = start_application(actor=secretary, organization=branch, person=person_, applied_on=D(2026, 1, 5))
    assert again.stage == S.APPLICANT


def test_one_open_record_per_person_and_members_do_not_apply(world, branch, members):
    secretary = world.users["branch_secretary"]
    person_ = applicant(world)
    start_application(actor=secretary, organization=branch, person=person_, applied_on=D(2025, 1, 5))
    with pytest.raises(StepRefused):
        start_application(actor=secretary, organization=branch, person=person_, applied_on=D(2025, 2, 5))
    with pytest.raises(StepRefused):
        start_application(actor=secretary, organization=branch, person=members[0], applied_on=D(2025, 2, 5))


def test_an_organization_switches_a_rule_for_its_subtree(world, branch):
    admin = world.users["district_admin"]
    local = DevelopmentRule.objects.get(key="local-activist-at-least-15-days-after-application")
    save_tracked(
        DevelopmentRuleOverride(rule=local, organization=world.organizations["committee_a"], enabled=True),
        actor=admin,
    )
    talk = DevelopmentRule.objects.get(key="first-talk-within-one-month")
    save_tracked(
        DevelopmentRuleOverride(rule=talk, organization=branch, enabled=True, max_value=2), actor=admin
    )

    keys_a = {spec.key for spec in rules_for(branch)}
    keys_b = {spec.key for spec in rules_for(world.organizations["branch_b"])}
    assert "local-activist-at-least-15-days-after-application" in keys_a
    assert "local-activist-at-least-15-days-after-application" not in keys_b
    assert next(s for s in rules_for(branch) if s.key == talk.key).max_value == 2

    secretary = world.users["branch_secretary"]
    record = start_application(
        actor=secretary, organization=branch, person=applicant(world), applied_on=D(2025, 1, 5)
    )
    step(secretary, record, K.FIRST_TALK, D(2025, 1, 8))
    with pytest.raises(StepRefused, match="2025-01-20"):
        step(secretary, record, K.ACTIVIST, D(2025, 1, 15))  # 15 days after the application at the earliest
    late = start_application(
        actor=secretary, organization=branch, person=applicant(world, name="钱迟谈"), applied_on=D(2025, 1, 5)
    )
    step(secretary, late, K.FIRST_TALK, D(2025, 3, 1))  # within the two months this branch allows
    # The branch below the street committee switches the local rule off again for itself.
    save_tracked(DevelopmentRuleOverride(rule=local, organization=branch, enabled=False), actor=admin)
    assert "local-activist-at-least-15-days-after-application" not in {s.key for s in rules_for(branch)}


def test_the_district_switches_a_rule_off(world, branch):
    DevelopmentRule.objects.filter(key="first-talk-within-one-month").update(enabled=False)
    secretary = world.users["branch_secretary"]
    record = start_application(
        actor=secretary, organization=branch, person=applicant(world), applied_on=D(2025, 1, 5)
    )
    step(secretary, record, K.FIRST_TALK, D(2025, 6, 1))
    assert record.steps.filter(kind=K.FIRST_TALK, overridden_rules=[]).exists()


@pytest.mark.parametrize("persona", ["liaison", "worker", "street_b"])
def test_only_those_answering_for_the_organization_record(world, branch, persona):
    record = DevelopmentRecord.objects.get(person=world.people["worker"])
    with pytest.raises(PermissionDenied):
        step(world.users[persona], record, K.ACTIVIST, D(2025, 10, 1))
    with pytest.raises(PermissionDenied):
        start_application(
            actor=world.users[persona], organization=branch, person=applicant(world), applied_on=D(2025, 1, 5)
        )


def test_street_staff_record_for_their_streets_organizations(world, branch):
    record = DevelopmentRecord.objects.get(person=world.people["worker"])
    step(world.users["street_a"], record, K.ACTIVIST, D(2025, 10, 1))
    record.refresh_from_db()
    assert record.stage == S.ACTIVIST


def test_applications_go_to_organizations_in_units(world):
    message = gettext("Members are developed by branches, general branches and committees in the units.")
    with pytest.raises(ValidationError, match=re.escape(message)):
        start_application(
            actor=world.users["district_admin"],
            organization=world.organizations["committee_a"],
            person=applicant(world),
            applied_on=D(2025, 1, 5),
        )


def test_find_applicant_by_id_number_never_renames(world):
    id_number = make_id_number("19990101")
    created = find_applicant(actor=world.users["branch_secretary"], id_number=id_number, name="冯新人")
    assert created.pk and created.name == "冯新人"
    assert find_applicant(actor=None, id_number=id_number, name="冯新人") == created
    message = gettext("This ID number is on record under another name. Check the name and the number.")
    with pytest.raises(ValidationError, match=re.escape(message)):
        find_applicant(actor=None, id_number=id_number, name="冯旧人")
    created.refresh_from_db()
    assert created.name == "冯新人"


def test_reminders_reach_the_secretary_and_the_street_once(world, branch):
    # The world's own record: applied 2025-09-01, talked 2025-09-11 -> nothing due as applicant.
    secretary = world.users["branch_secretary"]
    late = start_application(
        actor=secretary, organization=branch, person=applicant(world), applied_on=D(2026, 3, 1)
    )
    result = remind_about_development(D(2026, 4, 5))
    assert result["steps_overdue"] == 1
    keys = set(Notification.objects.values_list("user__username", "key"))
    due = f"development-overdue:first_talk:{late.pk}:2026-04-01"
    assert ("branch_secretary", due) in keys
    assert ("street_a", due) in keys
    assert ("street_b", due) not in keys
    assert ("district_admin", "development-summary:2026-04-05") in keys
    text = Notification.objects.get(user=secretary, key=due).text
    assert late.person.name in text and "2026-04-01" in text
    count = Notification.objects.count()
    again = remind_about_development(D(2026, 4, 5))
    assert again["messages"] == 0 and Notification.objects.count() == count
    # The next day: no new message about the same overdue talk, only the district's summary.
    remind_about_development(D(2026, 4, 6))
    assert Notification.objects.count() == count + 1


def test_reminders_skip_other_streets_organizations(world):
    branch_b = world.organizations["branch_b"]
    admin = world.users["district_admin"]
    start_application(actor=admin, organization=branch_b, person=applicant(world), applied_on=D(2026, 3, 1))
    remind_about_development(D(2026, 4, 5))
    users = set(
        Notification.objects.filter(key__startswith="development-overdue").values_list(
            "user__username", flat=True
        )
    )
    assert users == {"street_b"}
