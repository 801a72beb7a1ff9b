"""The care fund's workflow: apply -> street review -> committee decision -> payment; every
refusal, the separation of duties, the budget, append-only records, documents and who sees what."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.care import fund
from dangjian.care.models import CareApplication, CareDecision, CareDocument, CarePayment
from dangjian.core.models import AuditEvent
from dangjian.people.models import Employment, Person
from tests.care.fund_setup import documents_for, pdf, png, setup_care, use_private_storage
from tests.world import add_intruders, user

Status = CareApplication.Status


@pytest.fixture
def care(world, settings, tmp_path):
    use_private_storage(settings, tmp_path)
    return setup_care(world)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def apply(care, *, actor=None, amount_fen=3_000_00, kind="accident", documents=None, **extra):
    return fund.submit_application(
        actor=actor or care.worker_b,
        person=extra.pop("person", care.person),
        unit=extra.pop("unit", care.unit),
        category=care.category(kind),
        amount_fen=amount_fen,
        reason="送货途中摔伤住院",
        documents=documents_for(kind) if documents is None else documents,
        today=care.today,
        **extra,
    )


def review(care, application, *, actor=None, passed=True):
    return fund.review_application(
        actor=actor or care.world.users["street_b"], application=application, passed=passed, reason="材料属实"
    )


def approve(care, application, *, actor=None, amount_fen=None):
    return fund.decide_application(
        actor=actor or care.root_staff,
        application=application,
        approve=True,
        reason="符合意外救助条件",
        amount_fen=amount_fen,
        today=care.today,
    )


def pay(care, application, *, actor=None, paid_on=None, reference="ZZ20260001"):
    return fund.record_payment(
        actor=actor or care.root_staff,
        application=application,
        paid_on=paid_on or care.today,
        reference=reference,
        today=care.today,
    )


def messages_of(error) -> str:
    return " ".join(error.value.messages)


# --- the whole way ----------------------------------------------------------------------------


def test_from_application_to_payment_each_step_keeps_who_when_and_why(care):
    application = apply(care)
    assert application.status == Status.SUBMITTED
    assert application.fund == care.fund  # livestreaming: no committee leads it, so the two-new fund
    assert (application.street, application.job_type) == (
        care.world.street_b,
        Employment.JobType.LIVESTREAMER,
    )
    assert application.applied_by == care.worker_b
    stored = list(application.documents.order_by("id"))
    assert [d.kind for d in stored] == ["id_card", "accident_report", "medical_bills"]
    assert all(d.file.storage.exists(d.file.name) and d.content_type == "image/png" for d in stored)
    assert all(d.file.name.startswith(f"care/fund/{application.pk}/") for d in stored)

    review(care, application)
    application.refresh_from_db()
    assert application.status == Status.REVIEWED
    approve(care, application, amount_fen=2_500_00)
    application.refresh_from_db()
    assert (application.status, application.approved_fen) == (Status.APPROVED, 2_500_00)
    assert fund.fund_totals(care.fund.pk) == (2_500_00, 0)  # approval reserves the money

    payment = pay(care, application)
    application.refresh_from_db()
    assert application.status == Status.PAID
    assert (payment.amount_fen, payment.fund, payment.recorded_by) == (2_500_00, care.fund, care.root_staff)
    assert fund.fund_totals(care.fund.pk) == (0, 2_500_00)  # the reservation became the payment

    steps = [(d.step, d.outcome, d.decided_by, d.reason, d.amount_fen) for d in application.decisions.all()]
    assert steps == [
        ("review", "passed", care.world.users["street_b"], "材料属实", None),
        ("approval", "approved", care.root_staff, "符合意外救助条件", 2_500_00),
        ("payment", "paid", care.root_staff, "ZZ20260001", 2_500_00),
    ]
    assert all(d.decided_at is not None for d in application.decisions.all())
    # The name stays with the decision even if the account is later removed.
    assert [d.decided_by_name for d in application.decisions.all()] == [
        "street_b",
        "root_staff",
        "root_staff",
    ]
    care.world.users["street_b"].delete()
    assert application.decisions.get(step="review").decided_by_name == "street_b"
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(CareApplication), object_id=application.pk
    )
    assert [e.changes.get("status") for e in events.order_by("id")][1:] == [
        [str(Status.SUBMITTED.label), str(Status.REVIEWED.label)],
        [str(Status.REVIEWED.label), str(Status.APPROVED.label)],
        [str(Status.APPROVED.label), str(Status.PAID.label)],
    ]


def test_staff_apply_on_a_workers_behalf_others_may_not(care):
    application = apply(care, actor=care.world.users["street_b"])
    assert application.applied_by == care.world.users["street_b"]
    with pytest.raises(PermissionDenied):  # an employer's liaison files nothing for its staff
        apply(
            care,
            actor=care.world.users["liaison"],
            person=care.world.people["worker"],
            unit=care.world.units["outlet_a"],
        )
    with pytest.raises(PermissionDenied):  # a worker only for themself
        apply(care, actor=care.world.users["worker"])
    with pytest.raises(PermissionDenied):  # street_a cannot see a worker of 滨海街道
        apply(care, actor=care.world.users["street_a"])


# --- refusals at the application ----------------------------------------------------------------


def test_amount_over_the_category_cap_is_refused_with_the_cap(care):
    with pytest.raises(ValidationError) as error:
        apply(care, amount_fen=5_000_01)
    assert "5,000.00" in messages_of(error)
    assert not CareApplication.objects.filter(person=care.person).exists()


def test_missing_documents_are_refused_and_nothing_is_stored(care):
    with pytest.raises(ValidationError) as error:
        apply(care, documents=[("id_card", png())])
    assert str(CareDocumentKindLabel("accident_report")) in messages_of(error)
    assert CareDocument.objects.count() == 0


def CareDocumentKindLabel(kind):  # noqa: N802 - reads like the label it returns
    from dangjian.care.models import CareDocumentKind

    return CareDocumentKind(kind).label


def test_too_short_a_registration_is_refused(care):
    newcomer = Person.objects.create(name="新来的骑手")
    Employment.objects.create(
        person=newcomer,
        unit=care.unit,
        job_type="livestreamer",
        start_date=care.today - datetime.timedelta(days=40),
    )
    with pytest.raises(ValidationError) as error:
        apply(care, actor=care.world.users["street_b"], person=newcomer)
    assert "6" in messages_of(error)


def test_no_second_payment_within_twelve_months(care):
    application = apply(care)
    review(care, application)
    approve(care, application)
    pay(care, application)
    with pytest.raises(ValidationError) as error:
        apply(care, kind="family_hardship")
    assert care.today.isoformat() in messages_of(error)


def test_one_application_at_a_time(care):
    apply(care)
    with pytest.raises(ValidationError):
        apply(care, kind="family_hardship")
    assert CareApplication.objects.filter(person=care.person).count() == 1


def test_a_rejected_application_does_not_block_a_new_one(care):
    review(care, apply(care), passed=False)
    assert apply(care, kind="family_hardship").status == Status.SUBMITTED


def test_only_at_a_unit_the_worker_works_at_now_and_with_a_fund_this_year(care):
    with pytest.raises(ValidationError):
        apply(care, unit=care.world.units["outlet_a"])
    care.fund.year = care.today.year + 1
    care.fund.save()
    with pytest.raises(ValidationError) as error:
        apply(care)
    assert messages_of(error) == gettext("No care fund is open to workers of this unit this year.")


def test_a_switched_off_rule_is_not_applied(care):
    from dangjian.care.models import CareEligibilityRule

    CareEligibilityRule.objects.filter(kind="documents_complete").update(enabled=False)
    assert apply(care, documents=[]).status == Status.SUBMITTED


def test_a_category_rule_replaces_the_general_one(care):
    from dangjian.care.models import CareEligibilityRule

    newcomer = Person.objects.create(name="新来的主播")
    Employment.objects.create(
        person=newcomer,
        unit=care.unit,
        job_type="livestreamer",
        start_date=care.today - datetime.timedelta(days=40),
    )
    CareEligibilityRule.objects.create(
        category=care.category("disaster"), kind="min_months_registered", months=1
    )
    assert (
        apply(care, actor=care.world.users["street_b"], person=newcomer, kind="disaster").status
        == Status.SUBMITTED
    )


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.png", b"MZ\x90\x00" + b"\x00" * 60, content_type="image/png"),
        SimpleUploadedFile("photo.gif", b"GIF89a" + b"\x00" * 60, content_type="image/gif"),
        SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 60, content_type="application/pdf"),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
    ids=["executable-named-png", "gif", "png-named-pdf", "empty"],
)
def test_documents_must_be_pdf_jpg_or_png_as_named(care, upload):
    documents = documents_for("accident")
    documents[0] = ("id_card", upload)
    with pytest.raises(ValidationError):
        apply(care, documents=documents)


def test_documents_larger_than_ten_megabytes_are_refused(care):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (fund.MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        fund.document_type(big)
    assert "10" in messages_of(error)
    assert fund.document_type(pdf()) == "application/pdf"


# --- the street review --------------------------------------------------------------------------


def test_only_the_workers_street_reviews(care):
    application = apply(care)
    for persona in ("street_a", "committee_staff", "district_admin", "branch_secretary"):
        with pytest.raises(PermissionDenied):
            review(care, application, actor=care.world.users[persona])
    with pytest.raises(PermissionDenied):
        review(care, application, actor=care.root_staff)
    assert not application.decisions.exists()


def test_nobody_reviews_their_own_application(care):
    application = apply(care)
    # 符海燕 also works for the street office: her own application is still not hers to review.
    RoleAssignment.objects.create(user=care.worker_b, role=Role.STREET_STAFF, region=care.world.street_b)
    with pytest.raises(PermissionDenied) as error:
        review(care, application, actor=care.worker_b)
    assert str(error.value) == gettext("Nobody may decide on their own application.")


def test_a_review_needs_a_reason_and_happens_once(care):
    application = apply(care)
    with pytest.raises(ValidationError):
        fund.review_application(
            actor=care.world.users["street_b"], application=application, passed=True, reason=" "
        )
    review(care, application)
    other = user("street_b_2", Role.STREET_STAFF, region=care.world.street_b)
    with pytest.raises(ValidationError):
        review(care, application, actor=other)
    assert application.decisions.count() == 1


def test_rejected_by_the_street_goes_no_further(care):
    application = review(care, apply(care), passed=False)
    assert application.status == Status.REJECTED
    with pytest.raises(ValidationError):
        approve(care, application)


# --- the committee's decision -------------------------------------------------------------------


def test_the_committee_decides_only_after_the_review(care):
    application = apply(care)
    with pytest.raises(ValidationError):
        approve(care, application)


def test_only_staff_of_the_managing_committee_decide(care):
    application = review(care, apply(care))
    for persona in ("committee_staff", "street_b", "district_admin"):  # committee_staff: express fund's
        with pytest.raises(PermissionDenied):
            approve(care, application, actor=care.world.users[persona])


def test_the_reviewer_cannot_also_approve(care):
    both = user("both_roles", Role.STREET_STAFF, region=care.world.street_b)
    RoleAssignment.objects.create(
        user=both, role=Role.COMMITTEE_STAFF, organization=care.world.organizations["root"]
    )
    application = review(care, apply(care), actor=both)
    with pytest.raises(PermissionDenied) as error:
        approve(care, application, actor=both)
    assert str(error.value) == gettext("You reviewed this application; another person must decide on it.")
    assert approve(care, application).status == Status.APPROVED  # somebody else may


def test_nobody_approves_their_own_application(care):
    application = review(care, apply(care))
    RoleAssignment.objects.create(
        user=care.worker_b, role=Role.COMMITTEE_STAFF, organization=care.world.organizations["root"]
    )
    with pytest.raises(PermissionDenied):
        approve(care, application, actor=care.worker_b)
    with pytest.raises(PermissionDenied):  # nor by a staff account linked to the same person
        care.person.user = care.root_staff
        care.person.save()
        approve(care, application, actor=care.root_staff)


def test_not_more_than_requested_and_never_over_the_cap(care):
    application = review(care, apply(care, amount_fen=2_000_00))
    with pytest.raises(ValidationError):
        approve(care, application, amount_fen=2_000_01)
    assert approve(care, application, amount_fen=1_500_00).approved_fen == 1_500_00


def test_the_committee_may_reject_and_nothing_is_reserved(care):
    application = review(care, apply(care))
    fund.decide_application(
        actor=care.root_staff, application=application, approve=False, reason="不属于救助范围"
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.approved_fen is None
    assert fund.fund_totals(care.fund.pk) == (0, 0)
    with pytest.raises(ValidationError):
        pay(care, application)


def test_approval_that_does_not_fit_the_budget_is_refused(care):
    care.fund.budget_fen = 4_000_00
    care.fund.save()
    first = review(care, apply(care, amount_fen=3_000_00))
    approve(care, first)
    second_person = care.world.people["courier_b"]
    CareApplication.objects.filter(person=second_person).update(status=Status.REJECTED)
    Employment.objects.create(
        person=second_person, unit=care.unit, job_type="livestreamer", start_date=datetime.date(2025, 1, 1)
    )
    second = review(
        care, apply(care, actor=care.world.users["street_b"], person=second_person, amount_fen=2_000_00)
    )
    with pytest.raises(ValidationError) as error:
        approve(care, second)
    assert "1,000.00" in messages_of(error) and "2,000.00" in messages_of(error)
    assert approve(care, second, amount_fen=1_000_00).approved_fen == 1_000_00  # exactly what is left
    reserved, paid = fund.fund_totals(care.fund.pk)
    assert reserved + paid == care.fund.budget_fen


def test_the_budget_cannot_be_cut_below_what_is_committed(care):
    approve(care, review(care, apply(care, amount_fen=3_000_00)))
    care.fund.budget_fen = 2_999_99
    with pytest.raises(ValidationError):
        fund.save_fund(actor=care.world.users["district_admin"], fund=care.fund)
    care.fund.budget_fen = 3_000_00
    fund.save_fund(actor=care.world.users["district_admin"], fund=care.fund)


# --- the payment --------------------------------------------------------------------------------


def test_payment_refusals(care):
    application = apply(care)
    with pytest.raises(ValidationError):
        pay(care, application)  # not approved yet
    approve(care, review(care, application))
    with pytest.raises(PermissionDenied):
        pay(care, application, actor=care.world.users["street_b"])
    with pytest.raises(ValidationError):
        pay(care, application, paid_on=care.today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        pay(care, application, paid_on=care.today - datetime.timedelta(days=1))  # before the approval
    with pytest.raises(ValidationError):
        pay(care, application, reference="  ")
    pay(care, application)
    with pytest.raises(ValidationError):
        pay(care, application, actor=care.root_staff_2)
    assert CarePayment.objects.filter(application=application).count() == 1


def test_decisions_and_payments_are_never_changed_or_deleted(care):
    application = apply(care)
    approve(care, review(care, application))
    payment = pay(care, application)
    decision = application.decisions.first()
    decision.reason = "改写理由"
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        decision.delete()
    payment.amount_fen = 1
    with pytest.raises(ValidationError):
        payment.save()
    with pytest.raises(ValidationError):
        payment.delete()
    assert CareDecision.objects.get(pk=decision.pk).reason == "材料属实"


# --- pages --------------------------------------------------------------------------------------


def test_the_pages_take_an_application_to_paid(client, care):
    client.force_login(care.worker_b)
    page = client.get("/care/fund/apply/")
    assert page.status_code == 200 and "滨海直播工作室" in page.content.decode()
    response = client.post(
        "/care/fund/apply/",
        {
            "unit": care.unit.pk,
            "category": care.category().pk,
            "amount": "3000.50",
            "reason": "送货途中摔伤住院",
            "doc_id_card": png(),
            "doc_accident_report": pdf(),
            "doc_medical_bills": png("bill.png"),
        },
    )
    application = CareApplication.objects.get(person=care.person)
    assert response.status_code == 302 and response["Location"] == f"/care/fund/{application.pk}/"
    assert application.amount_fen == 3_000_50
    assert "3,000.50" in client.get(response["Location"]).content.decode()

    client.force_login(care.world.users["street_b"])
    detail = client.get(f"/care/fund/{application.pk}/").content.decode()
    assert 'data-testid="review-form"' in detail and 'data-testid="decision-form"' not in detail
    client.post(f"/care/fund/{application.pk}/review/", {"decision": "pass", "reason": "核实无误"})
    client.force_login(care.root_staff)
    client.post(
        f"/care/fund/{application.pk}/decide/", {"decision": "approve", "amount": "3000.50", "reason": "同意"}
    )
    client.post(
        f"/care/fund/{application.pk}/pay/",
        {"paid_on": care.today.isoformat(), "reference": "ZZ-1", "note": ""},
    )
    application.refresh_from_db()
    assert application.status == Status.PAID

    client.force_login(care.worker_b)
    mine = client.get(f"/care/fund/{application.pk}/").content.decode()
    assert f'data-testid="fund-status">{Status.PAID.label}' in mine
    assert "ZZ-1" in mine


def test_a_refusal_is_shown_on_the_page(client, care):
    both = user("both_roles", Role.STREET_STAFF, region=care.world.street_b)
    RoleAssignment.objects.create(
        user=both, role=Role.COMMITTEE_STAFF, organization=care.world.organizations["root"]
    )
    application = apply(care)
    client.force_login(both)
    client.post(f"/care/fund/{application.pk}/review/", {"decision": "pass", "reason": "核实无误"})
    response = client.post(
        f"/care/fund/{application.pk}/decide/", {"decision": "approve", "reason": "同意"}, follow=True
    )
    assert (
        gettext("You reviewed this application; another person must decide on it.")
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == Status.REVIEWED


def test_a_worker_without_employment_sees_why_they_cannot_apply(client, care):
    Employment.objects.filter(person=care.person).update(end_date=datetime.date(2025, 6, 30))
    client.force_login(care.worker_b)
    assert 'data-testid="no-unit"' in client.get("/care/fund/apply/").content.decode()


# --- who sees what ------------------------------------------------------------------------------


def test_each_role_sees_its_own_applications(client, care):
    world = care.world
    mine = apply(care)
    lists = {}
    for persona in ("worker", "street_a", "street_b", "committee_staff", "district_admin", "liaison"):
        client.force_login(world.users[persona])
        body = client.get("/care/fund/").content.decode()
        lists[persona] = {name for name in ("王小明", "符海燕", "陈快递") if f">{name}</a>" in body}
    client.force_login(care.worker_b)
    body = client.get("/care/fund/").content.decode()
    lists["worker_b"] = {name for name in ("王小明", "符海燕", "陈快递") if f">{name}</a>" in body}
    client.force_login(care.root_staff)
    body = client.get("/care/fund/").content.decode()
    lists["root_staff"] = {name for name in ("王小明", "符海燕", "陈快递") if f">{name}</a>" in body}
    assert lists == {
        "worker": {"王小明"},
        "worker_b": {"符海燕"},
        "street_a": {"王小明"},
        "street_b": {"符海燕", "陈快递"},
        "committee_staff": {"陈快递"},  # the express fund's
        "root_staff": {"王小明", "符海燕", "陈快递"},  # the two-new committee's subtree: every fund
        "district_admin": {"王小明", "符海燕", "陈快递"},
        "liaison": set(),
    }
    document = mine.documents.first()
    for persona, status in (("street_b", 200), ("street_a", 404), ("worker", 404), ("committee_staff", 404)):
        client.force_login(world.users[persona])
        assert client.get(f"/care/fund/{mine.pk}/").status_code == status, persona
        assert client.get(f"/care/fund/documents/{document.pk}/").status_code == status, persona


def test_documents_are_sent_privately_to_those_who_see_the_application(client, care):
    application = apply(care)
    document = application.documents.first()
    client.force_login(care.worker_b)
    response = client.get(f"/care/fund/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(f"/care/fund/documents/{document.pk}/").status_code == 302  # to the login page


def test_out_of_scope_applications_answer_404(client, care):
    from tests.world import Region

    add_intruders(care.world)
    outsider = CareApplication.objects.get(street=Region.objects.get(name="新坡镇"))
    for persona in ("worker", "street_a", "street_b", "committee_staff", "branch_secretary", "liaison"):
        client.force_login(care.world.users[persona])
        for url in (
            f"/care/fund/{outsider.pk}/",
            f"/care/fund/{outsider.pk}/review/",
            f"/care/fund/{outsider.pk}/decide/",
            f"/care/fund/{outsider.pk}/pay/",
        ):
            assert client.get(url).status_code == 404, (persona, url)
            assert client.post(url, {"decision": "pass", "reason": "x"}).status_code == 404, (persona, url)
    outsider.refresh_from_db()
    assert outsider.status == Status.SUBMITTED and not outsider.decisions.exists()


# --- the district keeps categories, rules and budgets in the admin ------------------------------


@pytest.fixture
def district_admin(client, care):
    admin_user = care.world.users["district_admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return admin_user


def test_the_district_edits_a_category_in_yuan_in_the_admin(client, care, district_admin):
    category = care.category("accident")
    url = f"/admin/care/carecategory/{category.pk}/change/"
    assert "5000.00" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "accident",
            "cap_fen": "6000.50",
            "required_documents": ["id_card", "medical_bills"],
            "description": category.description,
            "source": category.source,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert (category.cap_fen, category.required_documents) == (6_000_50, ["id_card", "medical_bills"])
    assert AuditEvent.objects.filter(object_id=category.pk, actor=district_admin, action="updated").exists()
    # The new cap and documents apply at once.
    assert apply(care, amount_fen=6_000_50, documents=[("id_card", png()), ("medical_bills", pdf())]).pk


def test_the_admin_refuses_a_budget_below_what_is_committed(client, care, district_admin):
    approve(care, review(care, apply(care, amount_fen=3_000_00)))
    url = f"/admin/care/carefund/{care.fund.pk}/change/"
    form = {"name": care.fund.name, "committee": care.fund.committee_id, "year": care.fund.year, "note": ""}
    response = client.post(url, {**form, "budget_fen": "2999.99"})
    assert response.status_code == 200  # the form again, with the error
    care.fund.refresh_from_db()
    assert care.fund.budget_fen == 100_000_00
    assert client.post(url, {**form, "budget_fen": "3000"}).status_code == 302
    care.fund.refresh_from_db()
    assert care.fund.budget_fen == 3_000_00


def test_the_eligibility_rules_are_rows_the_district_can_switch(client, care, district_admin):
    from dangjian.care.models import CareEligibilityRule

    rules = {(r.kind, r.months) for r in CareEligibilityRule.objects.filter(category=None)}
    assert rules == {
        ("min_months_registered", 6),
        ("no_recent_payment", 12),
        ("within_cap", None),
        ("documents_complete", None),
    }
    assert client.get("/admin/care/careeligibilityrule/").status_code == 200
    # Decisions and payments are not editable in the admin.
    application = apply(care)
    review(care, application)
    decision = application.decisions.get()
    page = client.get(f"/admin/care/caredecision/{decision.pk}/change/").content.decode()
    assert 'name="reason"' not in page
