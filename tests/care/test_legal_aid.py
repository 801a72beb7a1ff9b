"""Legal aid: the request, the hardship check, the referral to the legal-aid centre, the closure;
who may do each, and who sees the request."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.care import legal
from dangjian.care.models import LegalAidCentre, LegalAidRequest
from dangjian.core.models import AuditEvent
from tests.world import add_intruders

Kind, Result, Outcome, Status = (
    LegalAidRequest.Kind,
    LegalAidRequest.HardshipResult,
    LegalAidRequest.Outcome,
    LegalAidRequest.Status,
)
TODAY = timezone.localdate

# Pure functions are fast; on a loaded machine only the clock is slow: no deadline, no too-slow check.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the hardship rule (Legal Aid Law art. 42) ------------------------------------------------------

answers = st.fixed_dictionaries({key: st.booleans() for key in legal.HARDSHIP_KEYS})


@relaxed
@given(answers)
def test_wage_and_work_injury_claims_are_exempt_whatever_the_answers(checklist):
    assert legal.hardship_result(Kind.WAGE_ARREARS, checklist) == Result.EXEMPT
    assert legal.hardship_result(Kind.WORK_INJURY, checklist) == Result.EXEMPT


@relaxed
@given(st.sampled_from([Kind.LABOUR_DISPUTE, Kind.TRAFFIC_ACCIDENT, Kind.OTHER]), answers)
def test_others_qualify_on_social_assistance_or_a_committed_hardship(kind, checklist):
    result = legal.hardship_result(kind, checklist)
    if checklist["social_assistance"]:
        assert result == Result.EXEMPT
    elif checklist["commitment_signed"] and (
        checklist["income_below_standard"] or checklist["wages_owed"] or checklist["medical_costs"]
    ):
        assert result == Result.MET
    else:
        assert result == Result.NOT_MET


def test_a_hardship_without_the_commitment_does_not_qualify():
    assert legal.hardship_result(Kind.TRAFFIC_ACCIDENT, {"income_below_standard": True}) == Result.NOT_MET
    assert legal.hardship_result(Kind.TRAFFIC_ACCIDENT, {"commitment_signed": True}) == Result.NOT_MET


# --- the steps --------------------------------------------------------------------------------------


@pytest.fixture
def request_of_worker(world):
    return LegalAidRequest.objects.get(person=world.people["worker"])


def test_the_district_centre_is_there_from_the_start(db):
    assert LegalAidCentre.objects.filter(name=legal.DEFAULT_CENTRE, active=True).exists()


def test_from_request_to_closure(world):
    staff = world.users["street_a"]
    item = legal.submit_request(
        actor=world.users["worker"],
        person=world.people["worker"],
        kind=Kind.TRAFFIC_ACCIDENT,
        facts="送餐途中被撞",
    )
    assert (item.unit, item.street, item.status) == (
        world.units["outlet_a"],
        world.street_a,
        Status.SUBMITTED,
    )
    item = legal.check_hardship(
        actor=staff,
        request=item,
        checklist={"income_below_standard": True, "commitment_signed": True, "junk": True},
    )
    assert (item.status, item.hardship_result, item.checked_by) == (Status.CHECKED, Result.MET, staff)
    assert "junk" not in item.hardship_checklist and item.hardship_checklist["income_below_standard"] is True
    centre = LegalAidCentre.objects.get()
    item = legal.refer_request(actor=staff, request=item, centre=centre, referred_on=TODAY())
    assert (item.status, item.centre, item.referred_by) == (Status.REFERRED, centre, staff)
    item = legal.close_request(
        actor=staff,
        request=item,
        outcome=Outcome.CONCLUDED,
        note="法律援助中心代理诉讼，获赔2万元",
        closed_on=TODAY(),
    )
    assert (item.status, item.outcome, item.closed_by) == (Status.CLOSED, Outcome.CONCLUDED, staff)
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(LegalAidRequest), object_id=item.pk
    ).order_by("id")
    assert [e.action for e in events] == ["created", "updated", "updated", "updated"]
    assert [e.actor for e in events] == [world.users["worker"], staff, staff, staff]
    assert item.history.count() == 4


def test_only_the_workers_street_handles_and_never_their_own(world, request_of_worker):
    for persona in ("street_b", "committee_staff", "district_admin", "liaison", "worker", "branch_secretary"):
        with pytest.raises(PermissionDenied):
            legal.check_hardship(actor=world.users[persona], request=request_of_worker, checklist={})
    RoleAssignment.objects.create(user=world.users["worker"], role=Role.STREET_STAFF, region=world.street_a)
    with pytest.raises(PermissionDenied) as error:
        legal.check_hardship(actor=world.users["worker"], request=request_of_worker, checklist={})
    assert "own" in str(error.value) or "本人" in str(error.value)


def test_no_referral_before_the_check_or_when_not_qualified(world):
    staff = world.users["street_a"]
    centre = LegalAidCentre.objects.get()
    item = legal.submit_request(
        actor=staff, person=world.people["worker"], kind=Kind.LABOUR_DISPUTE, facts="解除劳动合同争议"
    )
    assert item.requested_by == staff
    with pytest.raises(ValidationError):
        legal.refer_request(actor=staff, request=item, centre=centre, referred_on=TODAY())
    item = legal.check_hardship(actor=staff, request=item, checklist={"income_below_standard": True})
    assert item.hardship_result == Result.NOT_MET
    with pytest.raises(ValidationError):
        legal.refer_request(actor=staff, request=item, centre=centre, referred_on=TODAY())
    with pytest.raises(ValidationError):  # only a referred request ends at the centre
        legal.close_request(actor=staff, request=item, outcome=Outcome.CONCLUDED, note="x", closed_on=TODAY())
    item = legal.close_request(
        actor=staff,
        request=item,
        outcome=Outcome.NOT_QUALIFIED,
        note="不符合经济困难标准，已告知",
        closed_on=TODAY(),
    )
    assert item.status == Status.CLOSED
    with pytest.raises(ValidationError):
        legal.close_request(actor=staff, request=item, outcome=Outcome.WITHDRAWN, note="x", closed_on=TODAY())


def test_dates_and_notes_are_checked(world, request_of_worker):
    staff = world.users["street_a"]
    centre = LegalAidCentre.objects.get()
    item = legal.check_hardship(actor=staff, request=request_of_worker, checklist={})
    assert item.hardship_result == Result.EXEMPT  # wage arrears
    with pytest.raises(ValidationError):
        legal.refer_request(
            actor=staff, request=item, centre=centre, referred_on=TODAY() + datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        legal.refer_request(
            actor=staff, request=item, centre=centre, referred_on=TODAY() - datetime.timedelta(days=1)
        )
    centre.active = False
    centre.save()
    with pytest.raises(ValidationError):
        legal.refer_request(actor=staff, request=item, centre=centre, referred_on=TODAY())
    centre.active = True
    centre.save()
    item = legal.refer_request(actor=staff, request=item, centre=centre, referred_on=TODAY())
    with pytest.raises(ValidationError):  # the check cannot be redone after the referral
        legal.check_hardship(actor=staff, request=item, checklist={})
    with pytest.raises(ValidationError):
        legal.close_request(actor=staff, request=item, outcome=Outcome.SETTLED, note=" ", closed_on=TODAY())
    with pytest.raises(ValidationError):
        legal.close_request(
            actor=staff,
            request=item,
            outcome=Outcome.SETTLED,
            note="调解",
            closed_on=TODAY() + datetime.timedelta(days=1),
        )


def test_the_worker_may_withdraw_but_not_decide(world, request_of_worker):
    worker = world.users["worker"]
    with pytest.raises(PermissionDenied):
        legal.close_request(
            actor=worker, request=request_of_worker, outcome=Outcome.SETTLED, note="x", closed_on=TODAY()
        )
    item = legal.close_request(
        actor=worker, request=request_of_worker, outcome=Outcome.WITHDRAWN, note="", closed_on=TODAY()
    )
    assert (item.status, item.outcome, item.closed_by) == (Status.CLOSED, Outcome.WITHDRAWN, worker)


def test_a_worker_who_has_left_is_handled_by_the_street_of_the_last_unit(world):
    from dangjian.people.models import Employment

    Employment.objects.filter(person=world.people["worker_b"]).update(end_date=datetime.date(2025, 10, 31))
    item = legal.submit_request(
        actor=world.users["street_b"],
        person=world.people["worker_b"],
        kind=Kind.WAGE_ARREARS,
        facts="离职后工资未结清",
    )
    assert (item.unit, item.street) == (world.units["plain_b"], world.street_b)
    assert legal.may_handle(world.users["street_b"], item) and not legal.may_handle(
        world.users["street_a"], item
    )


def test_filing_for_someone_else(world):
    with pytest.raises(PermissionDenied):
        legal.submit_request(
            actor=world.users["worker"], person=world.people["worker_b"], kind=Kind.OTHER, facts="x"
        )
    with pytest.raises(PermissionDenied):
        legal.submit_request(
            actor=world.users["liaison"], person=world.people["worker"], kind=Kind.OTHER, facts="x"
        )
    with pytest.raises(ValidationError):
        legal.submit_request(
            actor=world.users["worker"], person=world.people["worker"], kind=Kind.OTHER, facts=" "
        )


# --- pages and scope ----------------------------------------------------------------------------------


def test_the_pages_take_a_request_from_the_phone_to_closure(client, world):
    client.force_login(world.users["worker"])
    response = client.post("/care/legal/new/", {"kind": "work_injury", "facts": "送餐时摔伤，公司不认工伤"})
    item = LegalAidRequest.objects.get(kind="work_injury")
    assert response["Location"] == f"/care/legal/{item.pk}/"
    assert 'data-testid="hardship-form"' not in client.get(response["Location"]).content.decode()

    client.force_login(world.users["street_a"])
    assert 'data-testid="hardship-form"' in client.get(f"/care/legal/{item.pk}/").content.decode()
    client.post(f"/care/legal/{item.pk}/check/", {"commitment_signed": "on"})
    centre = LegalAidCentre.objects.get()
    client.post(f"/care/legal/{item.pk}/refer/", {"centre": centre.pk, "referred_on": TODAY().isoformat()})
    client.post(
        f"/care/legal/{item.pk}/close/",
        {"outcome": "settled", "closed_on": TODAY().isoformat(), "note": "调解结案"},
    )
    item.refresh_from_db()
    assert (item.hardship_result, item.status, item.outcome) == (
        Result.EXEMPT,
        Status.CLOSED,
        Outcome.SETTLED,
    )

    client.force_login(world.users["worker"])
    page = client.get(f"/care/legal/{item.pk}/").content.decode()
    assert centre.name in page and "调解结案" in page


def test_who_sees_which_requests(client, world):
    legal.submit_request(
        actor=world.users["street_b"], person=world.people["worker_b"], kind=Kind.OTHER, facts="欠薪"
    )
    seen = {}
    for persona in (
        "worker",
        "street_a",
        "street_b",
        "committee_staff",
        "district_admin",
        "liaison",
        "branch_secretary",
    ):
        client.force_login(world.users[persona])
        body = client.get("/care/legal/").content.decode()
        seen[persona] = {name for name in ("王小明", "符海燕") if f">{name}</a>" in body}
    assert seen == {
        "worker": {"王小明"},
        "street_a": {"王小明"},
        "street_b": {"符海燕"},
        "committee_staff": set(),
        "district_admin": {"王小明", "符海燕"},
        "liaison": set(),
        "branch_secretary": set(),
    }
    add_intruders(world)
    outsider = LegalAidRequest.objects.get(facts="越界交通事故")
    for persona in ("worker", "street_a", "street_b", "committee_staff", "liaison"):
        client.force_login(world.users[persona])
        for url in (
            f"/care/legal/{outsider.pk}/",
            f"/care/legal/{outsider.pk}/check/",
            f"/care/legal/{outsider.pk}/close/",
        ):
            assert (
                client.post(url, {"outcome": "withdrawn", "closed_on": TODAY().isoformat()}).status_code
                == 404
            )
    outsider.refresh_from_db()
    assert outsider.status == Status.SUBMITTED
