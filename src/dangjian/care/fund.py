"""Writes to the care fund (关爱基金): applications, the street's review, the committee's
decision, payments; and the categories and rules the district starts with.

Who decides what:
- a worker applies for themself; staff of a party-work role who can see the worker apply on the
  worker's behalf;
- the street review is made by staff of the street that answers for the worker's unit (the
  district for a unit no street answers for);
- the committee's decision and the payment are made by staff of the committee managing the fund;
- nobody decides on their own application, and the reviewer never also decides for the committee.

Money: approval reserves the approved amount in the fund; the payment spends that reservation.
So a fund's available money is ``budget - approved-but-unpaid - paid``, and an approval must fit
in it. The check and the write happen in one transaction holding the fund row's lock (taken
before the application's, always in that order, so two approvals never deadlock): concurrent
approvals queue on the fund row and each sees the previous one's reservation.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.accounts.scope import can_see, scope_of, sees_party_member_names
from dangjian.care import fund_rules
from dangjian.care.models import (
    CareApplication,
    CareCategory,
    CareCategoryKind,
    CareDecision,
    CareDocument,
    CareDocumentKind,
    CareEligibilityRule,
    CareFund,
    CarePayment,
)
from dangjian.core.audit import save_tracked

# --- the district's starting categories and rules (editable in the admin afterwards) ----------

_WUXI = "参照 design/rules.md 所引无锡快递小哥关爱基金做法"
_LOCAL = "地方做法（非国家规定，可调整）"

# (kind, cap in yuan, required documents, what it covers, source)
DEFAULT_CATEGORIES = [
    (
        CareCategoryKind.SERIOUS_ILLNESS,
        30_000,
        ["id_card", "medical_diagnosis", "medical_bills"],
        "本人或子女患重大疾病，医疗费用负担沉重。",
        f"{_WUXI}：子女重大疾病救助1万至3万元；上限取3万元。",
    ),
    (
        CareCategoryKind.ACCIDENT,
        5_000,
        ["id_card", "accident_report", "medical_bills"],
        "因意外事故住院治疗，且本人不负主要责任。",
        f"{_WUXI}：意外住院且非主要责任的，救助3000至5000元；上限取5000元。",
    ),
    (
        CareCategoryKind.FAMILY_HARDSHIP,
        5_000,
        ["id_card", "hardship_certificate"],
        "家庭遭遇变故，生活陷入困难，经社区（村）证明。",
        _LOCAL,
    ),
    (
        CareCategoryKind.DISASTER,
        5_000,
        ["id_card", "disaster_certificate"],
        "因台风、洪涝、火灾等灾害造成家庭财产重大损失。",
        _LOCAL,
    ),
    (
        CareCategoryKind.CHILD_EDUCATION,
        5_000,
        ["id_card", "school_admission", "household_register"],
        "子女考入高中或大学，家庭负担学费有困难。",
        f"{_WUXI}：助学金3000元或5000元；上限取5000元。",
    ),
    (CareCategoryKind.OTHER, 3_000, ["id_card"], "其他经认定的困难情形。", _LOCAL),
]

# (kind, months, source): the general rules, for every category.
DEFAULT_RULES = [
    (
        fund_rules.MIN_MONTHS_REGISTERED,
        6,
        "design/rules.md：在本区单位登记从业满N个月；N取6个月为地方做法（可调整或关闭）。",
    ),
    (fund_rules.NO_RECENT_PAYMENT, 12, "design/rules.md：12个月内未获关爱基金其他救助。"),
    (fund_rules.WITHIN_CAP, None, "design/rules.md：救助金额不超过该类别上限。"),
    (fund_rules.DOCUMENTS_COMPLETE, None, "按类别提交所需证明材料（地方做法）。"),
]


def sync_care_defaults(**kwargs) -> None:
    """Add the starting categories and general rules that are missing (after every migrate and
    test flush); never changes what the district has set."""
    existing = set(CareCategory.objects.values_list("kind", flat=True))
    CareCategory.objects.bulk_create(
        CareCategory(
            kind=kind,
            cap_fen=cap_yuan * 100,
            required_documents=documents,
            description=description,
            source=source,
        )
        for kind, cap_yuan, documents, description, source in DEFAULT_CATEGORIES
        if kind not in existing
    )
    general = set(CareEligibilityRule.objects.filter(category=None).values_list("kind", flat=True))
    CareEligibilityRule.objects.bulk_create(
        CareEligibilityRule(kind=kind, months=months, source=source)
        for kind, months, source in DEFAULT_RULES
        if kind not in general
    )


# --- who may do what --------------------------------------------------------------------------


def _holds(user, role: str, **scope) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RoleAssignment.objects.filter(user_id=user.pk, role=role, **scope).exists()


def is_own(user, person_id: int) -> bool:
    """The person is the user: their linked record, or the record their worker role is bound to."""
    if user is None or not user.is_authenticated:
        return False
    from dangjian.people.models import Person

    return Person.objects.filter(pk=person_id, user_id=user.pk).exists() or _holds(
        user, Role.WORKER, person_id=person_id
    )


def may_apply_for(user, person) -> bool:
    """The worker themself, or staff of a party-work role who can see the worker."""
    if is_own(user, person.pk):
        return True
    return sees_party_member_names(user) and can_see(user, person)


def may_review(user, application: CareApplication) -> bool:
    """Staff of the street that answers for the worker's unit; the district when none does."""
    if application.street_id is None:
        return scope_of(user).everything
    return _holds(user, Role.STREET_STAFF, region_id=application.street_id)


def may_decide(user, application: CareApplication) -> bool:
    """Staff of the committee managing the fund: the committee's decision and the payment."""
    return _holds(user, Role.COMMITTEE_STAFF, organization_id=application.fund.committee_id)


def _refuse_own(user, application: CareApplication) -> None:
    if is_own(user, application.person_id):
        raise PermissionDenied(_("Nobody may decide on their own application."))


def _in_progress() -> str:
    return _("An application of this worker is still in progress; wait until it is decided and paid.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    return reason


# --- money in a fund --------------------------------------------------------------------------


def fund_totals(fund_id: int) -> tuple[int, int]:
    """(approved but not yet paid, paid) in fen, summed in SQL."""
    reserved = CareApplication.objects.filter(
        fund_id=fund_id, status=CareApplication.Status.APPROVED
    ).aggregate(total=Sum("approved_fen"))["total"]
    paid = CarePayment.objects.filter(fund_id=fund_id).aggregate(total=Sum("amount_fen"))["total"]
    return reserved or 0, paid or 0


def committed_fen(fund_id: int) -> int:
    reserved, paid = fund_totals(fund_id)
    return reserved + paid


def funds_for(unit, year: int) -> list[CareFund]:
    """The funds a worker of ``unit`` applies to in ``year``: those of the comprehensive
    committees leading the unit's industry, else the two-new working committee's."""
    from dangjian.organizations.models import CommitteeIndustry, Organization

    leading = CommitteeIndustry.objects.filter(industry=unit.industry).values("committee_id")
    funds = list(CareFund.objects.filter(year=year, committee_id__in=leading).select_related("committee"))
    if not funds:
        funds = list(
            CareFund.objects.filter(
                year=year, committee__kind=Organization.Kind.TWO_NEW_COMMITTEE
            ).select_related("committee")
        )
    return funds


# --- eligibility ------------------------------------------------------------------------------


def rule_specs() -> list[fund_rules.RuleSpec]:
    return [rule.spec() for rule in CareEligibilityRule.objects.all()]


def eligibility_failures(
    *,
    person,
    category: CareCategory,
    amount_fen: int,
    attached: list[str],
    today: datetime.date,
    only=None,
) -> list[fund_rules.Failure]:
    """The rules ``person`` fails for an application in ``category`` (empty: eligible)."""
    from dangjian.people.models import Employment

    periods = [
        fund_rules.Period(start, end)
        for start, end in Employment.objects.filter(person=person).values_list("start_date", "end_date")
    ]
    last_paid = CarePayment.objects.filter(application__person=person).aggregate(last=Max("paid_on"))["last"]
    facts = fund_rules.Facts(
        today=today,
        employments=periods,
        last_payment_on=last_paid,
        amount_fen=amount_fen,
        cap_fen=category.cap_fen,
        required_documents=category.required_documents,
        attached_documents=attached,
        document_labels=dict(CareDocumentKind.choices),
    )
    rules = fund_rules.applicable_rules(rule_specs(), category.pk)
    return fund_rules.evaluate(facts, rules, only=only)


# --- documents --------------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a phone photo of a hospital bill fits; a video does not
MAX_DOCUMENTS = 12
# Accepted file types, recognised by their first bytes (the file name alone proves nothing).
_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def document_type(upload) -> str:
    """The content type of an uploaded document, or ValidationError when it is not a PDF, JPEG or
    PNG of at most 10 MB whose name and contents agree."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniffed = next((kind for kind, heads in _SIGNATURES.items() if head.startswith(heads)), None)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if sniffed is None or _EXTENSIONS.get(extension) != sniffed:
        raise ValidationError(_("%(name)s is not a PDF, JPG or PNG file.") % {"name": name})
    return sniffed


def _store_documents(*, actor, application: CareApplication, documents, stored: list) -> None:
    for kind, upload in documents:
        if kind not in CareDocumentKind.values:
            raise ValidationError(_("Unknown kind of document."))
        content_type = document_type(upload)
        document = CareDocument(
            application=application,
            kind=kind,
            original_name=(upload.name or "")[-200:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        document.file.save(upload.name, upload, save=False)
        stored.append(document.file.name)
        save_tracked(document, actor=actor)


def _remove_files(names: list) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def add_documents(*, actor, application: CareApplication, documents) -> list[CareDocument]:
    """Attach more documents while the application waits for the street's review."""
    if not may_apply_for(actor, application.person):
        raise PermissionDenied(_("You may not add documents to this application."))
    stored: list = []
    try:
        with transaction.atomic():
            application = CareApplication.objects.select_for_update().get(pk=application.pk)
            if application.status != CareApplication.Status.SUBMITTED:
                raise ValidationError(_("Documents can be added only before the street's review."))
            if application.documents.count() + len(documents) > MAX_DOCUMENTS:
                raise ValidationError(_("At most %(n)s documents per application.") % {"n": MAX_DOCUMENTS})
            _store_documents(actor=actor, application=application, documents=documents, stored=stored)
    except Exception:
        _remove_files(stored)
        raise
    return list(application.documents.filter(file__in=stored))


# --- the workflow -----------------------------------------------------------------------------


def current_employment(person, unit, today: datetime.date):
    from django.db.models import Q

    from dangjian.people.models import Employment

    return (
        Employment.objects.filter(person=person, unit=unit, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date")
        .first()
    )


def submit_application(
    *,
    actor,
    person,
    unit,
    category: CareCategory,
    amount_fen: int,
    reason: str,
    documents=(),
    fund: CareFund | None = None,
    today: datetime.date | None = None,
) -> CareApplication:
    """A worker's application (by the worker or by staff on the worker's behalf), with its
    documents: ``documents`` is a list of (document kind, uploaded file). Refused with the
    reasons when the worker does not meet the rules."""
    today = today or timezone.localdate()
    if not may_apply_for(actor, person):
        raise PermissionDenied(_("You may not apply for this worker."))
    employment = current_employment(person, unit, today)
    if employment is None:
        raise ValidationError(_("The worker is not registered at this unit today."))
    candidates = funds_for(unit, today.year)
    if fund is None and candidates:
        fund = candidates[0]
    if fund is None or fund not in candidates:
        raise ValidationError(_("No care fund is open to workers of this unit this year."))
    if not category.active:
        raise ValidationError(_("This category is not open for applications."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what happened.")})
    documents = list(documents)
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(_("At most %(n)s documents per application.") % {"n": MAX_DOCUMENTS})
    errors = []
    for _kind, upload in documents:
        try:
            document_type(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    failures = eligibility_failures(
        person=person,
        category=category,
        amount_fen=amount_fen,
        attached=[kind for kind, _upload in documents],
        today=today,
    )
    errors.extend(str(failure) for failure in failures)
    if errors:
        raise ValidationError(errors)
    if CareApplication.objects.filter(person=person, status__in=CareApplication.OPEN_STATUSES).exists():
        raise ValidationError(_in_progress())

    stored: list = []
    try:
        with transaction.atomic():
            application = CareApplication(
                fund=fund,
                category=category,
                person=person,
                unit=unit,
                street_id=unit.street_id,
                job_type=employment.job_type,
                amount_fen=amount_fen,
                reason=reason.strip(),
                applied_by=actor if actor is not None and actor.is_authenticated else None,
            )
            try:
                with transaction.atomic():
                    save_tracked(application, actor=actor)
            except IntegrityError:
                # Two submissions at once: the one-open-application constraint let one through.
                raise ValidationError(_in_progress()) from None
            _store_documents(actor=actor, application=application, documents=documents, stored=stored)
    except Exception:
        _remove_files(stored)
        raise
    return application


def _decide(*, actor, application, step, outcome, reason, amount_fen=None) -> CareDecision:
    decision = CareDecision(
        application=application,
        step=step,
        outcome=outcome,
        reason=reason,
        amount_fen=amount_fen,
        decided_by=actor,
        decided_by_name=str(actor)[:150],
    )
    try:
        with transaction.atomic():
            save_tracked(decision, actor=actor)
    except IntegrityError:
        raise ValidationError(_("This step has already been decided.")) from None
    return decision


def review_application(*, actor, application: CareApplication, passed: bool, reason: str) -> CareApplication:
    """The street's review: pass the application to the committee, or reject it."""
    reason = _require_reason(reason)
    with transaction.atomic():
        application = (
            CareApplication.objects.select_for_update().select_related("fund").get(pk=application.pk)
        )
        _refuse_own(actor, application)
        if not may_review(actor, application):
            raise PermissionDenied(_("Only staff of the worker's street may review this application."))
        if application.status != CareApplication.Status.SUBMITTED:
            raise ValidationError(_("This application is not waiting for the street's review."))
        outcome = CareDecision.Outcome.PASSED if passed else CareDecision.Outcome.REJECTED
        _decide(
            actor=actor,
            application=application,
            step=CareDecision.Step.REVIEW,
            outcome=outcome,
            reason=reason,
        )
        application.status = CareApplication.Status.REVIEWED if passed else CareApplication.Status.REJECTED
        save_tracked(application, actor=actor)
    return application


def _lock(application: CareApplication) -> tuple[CareFund, CareApplication]:
    """Lock the fund row, then the application row: always in this order (fund first, by primary
    key), so two approvals never wait on each other in opposite orders."""
    fund = CareFund.objects.select_for_update().filter(pk=application.fund_id).order_by("pk").get()
    application = (
        CareApplication.objects.select_for_update()
        .select_related("category", "person", "fund")
        .get(pk=application.pk)
    )
    return fund, application


def decide_application(
    *,
    actor,
    application: CareApplication,
    approve: bool,
    reason: str,
    amount_fen: int | None = None,
    today: datetime.date | None = None,
) -> CareApplication:
    """The committee's decision. Approving reserves the approved amount in the fund, which must
    have that much left; the check and the write are one transaction under the fund's lock."""
    today = today or timezone.localdate()
    reason = _require_reason(reason)
    with transaction.atomic():
        fund, application = _lock(application)
        _refuse_own(actor, application)
        if not may_decide(actor, application):
            raise PermissionDenied(_("Only staff of the committee managing this fund may decide on it."))
        if application.status != CareApplication.Status.REVIEWED:
            raise ValidationError(_("This application is not waiting for the committee's decision."))
        review = application.decisions.get(step=CareDecision.Step.REVIEW)
        if review.decided_by_id == actor.pk:
            raise PermissionDenied(_("You reviewed this application; another person must decide on it."))
        if not approve:
            _decide(
                actor=actor,
                application=application,
                step=CareDecision.Step.APPROVAL,
                outcome=CareDecision.Outcome.REJECTED,
                reason=reason,
            )
            application.status = CareApplication.Status.REJECTED
            save_tracked(application, actor=actor)
            return application

        amount = application.amount_fen if amount_fen is None else amount_fen
        if amount <= 0:
            raise ValidationError(_("The amount must be more than zero."))
        if amount > application.amount_fen:
            raise ValidationError(_("The amount approved cannot be more than the amount requested."))
        failures = eligibility_failures(
            person=application.person,
            category=application.category,
            amount_fen=amount,
            attached=list(application.documents.values_list("kind", flat=True)),
            today=today,
        )
        if failures:
            raise ValidationError([str(failure) for failure in failures])
        reserved, paid = fund_totals(fund.pk)
        if not fund_rules.fits_budget(
            amount_fen=amount, budget_fen=fund.budget_fen, reserved_fen=reserved, paid_fen=paid
        ):
            available = fund_rules.available_fen(
                budget_fen=fund.budget_fen, reserved_fen=reserved, paid_fen=paid
            )
            raise ValidationError(
                _("The fund has %(available)s yuan left, less than the %(amount)s yuan to approve.")
                % {"available": fund_rules.format_yuan(available), "amount": fund_rules.format_yuan(amount)}
            )
        _decide(
            actor=actor,
            application=application,
            step=CareDecision.Step.APPROVAL,
            outcome=CareDecision.Outcome.APPROVED,
            reason=reason,
            amount_fen=amount,
        )
        application.approved_fen = amount
        application.status = CareApplication.Status.APPROVED
        save_tracked(application, actor=actor)
    return application


def record_payment(
    *,
    actor,
    application: CareApplication,
    paid_on: datetime.date,
    reference: str,
    note: str = "",
    today: datetime.date | None = None,
) -> CarePayment:
    """Record that the approved amount was paid: the payment row, the decision row and the
    status, in one transaction under the fund's lock. The reservation becomes the payment."""
    today = today or timezone.localdate()
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the payment's reference (transfer or voucher number).")})
    with transaction.atomic():
        fund, application = _lock(application)
        _refuse_own(actor, application)
        if not may_decide(actor, application):
            raise PermissionDenied(
                _("Only staff of the committee managing this fund may record its payments.")
            )
        if application.status != CareApplication.Status.APPROVED:
            raise ValidationError(_("Only an approved application can be paid."))
        approval = application.decisions.get(step=CareDecision.Step.APPROVAL)
        if paid_on > today:
            raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
        if paid_on < timezone.localdate(approval.decided_at):
            raise ValidationError({"paid_on": _("The payment date cannot be before the approval.")})
        payment = CarePayment(
            application=application,
            fund=fund,
            amount_fen=application.approved_fen,
            paid_on=paid_on,
            reference=reference,
            recorded_by=actor,
            recorded_by_name=str(actor)[:150],
        )
        try:
            with transaction.atomic():
                save_tracked(payment, actor=actor)
        except IntegrityError:
            raise ValidationError(_("This application has already been paid.")) from None
        _decide(
            actor=actor,
            application=application,
            step=CareDecision.Step.PAYMENT,
            outcome=CareDecision.Outcome.PAID,
            reason=(note or "").strip() or reference,
            amount_fen=application.approved_fen,
        )
        application.status = CareApplication.Status.PAID
        save_tracked(application, actor=actor)
    return payment


def save_fund(*, actor, fund: CareFund) -> CareFund:
    """Create or change a fund; its budget never drops below what is approved or paid. The row
    is locked before the check (save_tracked locks, then validates)."""
    save_tracked(fund, actor=actor)
    return fund
