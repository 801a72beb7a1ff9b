"""In a browser: a branch secretary walks one worker from application to full member through the
pipeline's pages, with fixed dates; one step breaks a rule and is refused, in Chinese, naming the
rule and the dates."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from dangjian.core.audit import save_tracked
from dangjian.membership.models import DevelopmentQuota, DevelopmentRecord, DevelopmentStep, QuotaUse
from dangjian.membership.rules import DATE_LABELS, amount_text
from dangjian.people.models import Person
from tests.world import PASSWORD, make_id_number, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

K = DevelopmentStep.Kind
ONE_YEAR_RULE = "入党积极分子经过一年以上培养教育和考察方可列为发展对象"


def zh(message: str) -> str:
    """The interface text for a source string (Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def label(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(K(kind).label)


def refusal_text() -> str:
    """The message the one-year rule gives for a designation on 2024-03-01 after 2023-05-01."""
    with translation.override("zh-hans"):
        return gettext(
            "Breaks the rule “%(rule)s”: %(from_label)s %(from_date)s, %(to_label)s %(to_date)s; "
            "they must be at least %(interval)s apart (not before %(limit)s)."
        ) % {
            "rule": ONE_YEAR_RULE,
            "from_label": str(DATE_LABELS[K.ACTIVIST]),
            "from_date": "2023-05-01",
            "to_label": str(DATE_LABELS[K.TARGET]),
            "to_date": "2024-03-01",
            "interval": amount_text(1, "years"),
            "limit": "2024-05-01",
        }


def test_a_worker_goes_from_application_to_full_member(live_server, page, world):
    branch = world.organizations["branch_a"]
    members = []
    for name in ("张正式", "李正式"):
        member = person(name, works_at=world.units["shop_a"])
        member.political_status, member.party_organization = Person.PoliticalStatus.FULL_MEMBER, branch
        save_tracked(member, actor=None)
        members.append(member)
    save_tracked(DevelopmentQuota(year=2024, organization=world.organizations["root"], amount=3), actor=None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("branch_secretary")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible()

    # From the organization page to its board, and a new application.
    page.goto(f"{live_server.url}/organizations/{branch.pk}/")
    page.get_by_test_id("development-summary").get_by_role("link").click()
    expect(page.get_by_test_id("board")).to_be_visible()
    page.get_by_test_id("new-application").click()
    page.get_by_label(zh("Name"), exact=True).fill("吴向党")
    page.get_by_label(zh("ID number")).fill(make_id_number("19980720"))
    page.get_by_label(zh("Date of the application")).fill("2023-03-01")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.get_by_test_id("record-stage")).to_contain_text(zh("applicant"))
    record = DevelopmentRecord.objects.get(person__name="吴向党")

    def record_step(kind, on, *, check=(), days=None):
        page.get_by_test_id("record-step").click()
        page.get_by_test_id("step-choices").get_by_role("link", name=label(kind), exact=True).click()
        page.get_by_label(
            zh("Last day of the training") if kind == K.TRAINING else zh("Date"), exact=True
        ).fill(on)
        if days is not None:
            page.get_by_label(zh("Training days")).fill(str(days))
        for name in check:
            page.get_by_label(name).check()
        page.get_by_role("button", name=zh("Save")).click()

    def recorded(kind, on):
        expect(page.get_by_test_id("record-steps").get_by_test_id(f"step-{kind}").last).to_contain_text(on)

    record_step(K.FIRST_TALK, "2023-03-20")
    recorded(K.FIRST_TALK, "2023-03-20")
    record_step(K.ACTIVIST, "2023-05-01")
    expect(page.get_by_test_id("record-stage")).to_contain_text(zh("activist"))
    record_step(K.CONTACTS, "2023-05-01", check=["张正式"])
    record_step(K.REVIEW, "2023-11-01")
    recorded(K.REVIEW, "2023-11-01")

    # Too early: less than a year as activist. Refused, in Chinese, with the rule and the dates.
    record_step(K.TARGET, "2024-03-01")
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(zh("The step was not recorded."))
    expect(refusal).to_contain_text(refusal_text())
    expect(refusal).to_contain_text(ONE_YEAR_RULE)
    expect(refusal).to_contain_text("2023-05-01")
    expect(refusal).to_contain_text("2024-03-01")
    expect(page.get_by_label(zh("Reason for overriding the rule"))).to_have_count(0)  # not the secretary's
    assert not record.steps.filter(kind=K.TARGET).exists()
    page.get_by_role("link", name=zh("Cancel")).click()
    record_step(K.REVIEW, "2024-04-20")  # the next half-year review, then the designation on time
    record_step(K.TARGET, "2024-05-10")
    expect(page.get_by_test_id("record-stage")).to_contain_text(zh("development target"))

    record_step(K.POLITICAL_REVIEW, "2024-06-01")
    record_step(K.TRAINING, "2024-06-20", days=3)
    recorded(K.TRAINING, "2024-06-20")
    record_step(K.INTRODUCERS, "2024-07-01", check=["张正式", "李正式"])
    record_step(K.VOTE, "2024-07-20")
    expect(page.get_by_test_id("record-stage")).to_contain_text(zh("probationary member"))
    recorded(K.PROBATION_START, "2024-07-20")
    record_step(K.APPROVAL, "2024-09-01")
    record_step(K.FULL_MEMBERSHIP, "2025-07-20")
    expect(page.get_by_test_id("record-stage")).to_contain_text(zh("full member"))
    expect(page.get_by_test_id("record-step")).to_have_count(0)  # closed: nothing more to record

    candidate = Person.objects.get(name="吴向党")
    assert candidate.political_status == Person.PoliticalStatus.FULL_MEMBER
    assert candidate.party_organization == branch
    assert QuotaUse.objects.filter(person=candidate, quota__year=2024).count() == 1
    assert list(record.steps.values_list("kind", flat=True)) == [
        K.APPLICATION, K.FIRST_TALK, K.ACTIVIST, K.CONTACTS, K.REVIEW, K.REVIEW, K.TARGET, K.POLITICAL_REVIEW,
        K.TRAINING, K.INTRODUCERS, K.VOTE, K.PROBATION_START, K.APPROVAL, K.FULL_MEMBERSHIP,
    ]  # fmt: skip

    # The pipeline's list finds the new full member.
    page.goto(f"{live_server.url}/membership/?stage=full_member")
    expect(page.get_by_test_id(f"development-{record.pk}")).to_contain_text(zh("full member"))
