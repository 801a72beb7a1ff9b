"""Legal aid (法律援助): a worker's request, the street's hardship check, the referral to the
legal-aid centre, and how it ended.

The hardship check follows the Legal Aid Law of the PRC (《中华人民共和国法律援助法》, 2021):
article 42 exempts from the check of economic hardship, among others, recipients of social
assistance and migrant workers claiming labour remuneration or damages for a work injury; others
qualify on the local hardship standard, and article 41 lets the applicant make a personal
commitment that the stated situation is true. ``hardship_result`` is that rule as a pure function.

Who acts: the worker (their own request: file it, withdraw it) and staff of the street that
answers for the worker's unit (the district for a unit no street answers for). Every write is
audited; the request also keeps its row history.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import Role
from dangjian.accounts.scope import can_see, scope_of, sees_party_member_names
from dangjian.care.fund import _holds, is_own
from dangjian.care.models import LegalAidCentre, LegalAidRequest
from dangjian.core.audit import save_tracked

Kind = LegalAidRequest.Kind
Result = LegalAidRequest.HardshipResult
Outcome = LegalAidRequest.Outcome

DEFAULT_CENTRE = "海口市龙华区法律援助中心"

# The hardship checklist: (key, question). Stored as {key: true/false} on the request.
HARDSHIP_ITEMS = [
    ("social_assistance", gettext_lazy("Receives subsistence allowance or other social assistance")),
    (
        "income_below_standard",
        gettext_lazy("Household income per head is below the local hardship standard for legal aid"),
    ),
    ("wages_owed", gettext_lazy("Living in difficulty because wages are owed")),
    (
        "medical_costs",
        gettext_lazy("Living in difficulty because of medical costs after an injury or accident"),
    ),
    (
        "commitment_signed",
        gettext_lazy("Signed a personal commitment that the stated economic situation is true"),
    ),
]
HARDSHIP_KEYS = [key for key, _question in HARDSHIP_ITEMS]
# Legal Aid Law art. 42(3): migrant workers claiming labour remuneration or work-injury damages.
EXEMPT_KINDS = (Kind.WAGE_ARREARS, Kind.WORK_INJURY)
_HARDSHIP_GROUNDS = ("income_below_standard", "wages_owed", "medical_costs")


def hardship_result(kind: str, checklist: dict) -> str:
    """exempt / met / not_met for a request of ``kind`` with the checklist's answers."""
    if kind in EXEMPT_KINDS or checklist.get("social_assistance"):
        return Result.EXEMPT
    if checklist.get("commitment_signed") and any(checklist.get(key) for key in _HARDSHIP_GROUNDS):
        return Result.MET
    return Result.NOT_MET


def sync_legal_aid_defaults(**kwargs) -> None:
    """The district's legal-aid centre, if none is recorded yet (the district edits it in the admin)."""
    if not LegalAidCentre.objects.exists():
        LegalAidCentre.objects.create(name=DEFAULT_CENTRE)


# --- who may do what --------------------------------------------------------------------------


def may_file_for(user, person) -> bool:
    return is_own(user, person.pk) or (sees_party_member_names(user) and can_see(user, person))


def may_handle(user, request: LegalAidRequest) -> bool:
    """Staff of the street answering for the worker's unit (the district when none does); never
    on their own request."""
    if is_own(user, request.person_id):
        return False
    if request.street_id is None:
        return scope_of(user).everything
    return _holds(user, Role.STREET_STAFF, region_id=request.street_id)


def _require_handler(user, request: LegalAidRequest) -> None:
    if is_own(user, request.person_id):
        raise PermissionDenied(_("Nobody may handle their own legal-aid request."))
    if not may_handle(user, request):
        raise PermissionDenied(_("Only staff of the worker's street may handle this request."))


def _locked(request: LegalAidRequest) -> LegalAidRequest:
    return LegalAidRequest.objects.select_for_update().get(pk=request.pk)


# --- the steps --------------------------------------------------------------------------------


def _responsible_unit(person, today: datetime.date):
    """The worker's current unit; for a worker who has left (wages are often claimed afterwards),
    the last one."""
    from dangjian.people.models import Employment

    employments = Employment.objects.filter(person=person, start_date__lte=today).select_related("unit")
    employment = (
        employments.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date", "-id")
        .first()
        or employments.order_by("-end_date", "-id").first()
    )
    return employment.unit if employment else None


def submit_request(*, actor, person, kind: str, facts: str, unit=None, today=None) -> LegalAidRequest:
    """A request for legal aid, by the worker or by staff on the worker's behalf. The unit (the
    worker's current one, else their last, unless given) decides which street is responsible."""
    today = today or timezone.localdate()
    if not may_file_for(actor, person):
        raise PermissionDenied(_("You may not file a request for this worker."))
    if not (facts or "").strip():
        raise ValidationError({"facts": _("Describe the matter.")})
    unit = unit or _responsible_unit(person, today)
    request = LegalAidRequest(
        person=person,
        unit=unit,
        street_id=unit.street_id if unit else None,
        kind=kind,
        facts=facts.strip(),
        requested_by=actor if actor is not None and actor.is_authenticated else None,
    )
    save_tracked(request, actor=actor)
    return request


def check_hardship(*, actor, request: LegalAidRequest, checklist: dict) -> LegalAidRequest:
    """Record the hardship checklist and its result (again, if needed, until the referral)."""
    with transaction.atomic():
        request = _locked(request)
        _require_handler(actor, request)
        if request.status not in (LegalAidRequest.Status.SUBMITTED, LegalAidRequest.Status.CHECKED):
            raise ValidationError(_("The hardship check can no longer be changed."))
        answers = {key: bool(checklist.get(key)) for key in HARDSHIP_KEYS}
        request.hardship_checklist = answers
        request.hardship_result = hardship_result(request.kind, answers)
        request.checked_by = actor
        request.checked_at = timezone.now()
        request.status = LegalAidRequest.Status.CHECKED
        save_tracked(request, actor=actor)
    return request


def refer_request(
    *, actor, request: LegalAidRequest, centre: LegalAidCentre, referred_on: datetime.date, today=None
) -> LegalAidRequest:
    """Refer the worker to the legal-aid centre: only once the check found them qualified."""
    today = today or timezone.localdate()
    with transaction.atomic():
        request = _locked(request)
        _require_handler(actor, request)
        if request.status != LegalAidRequest.Status.CHECKED:
            raise ValidationError(_("Check the worker's economic hardship before the referral."))
        if request.hardship_result not in (Result.EXEMPT, Result.MET):
            raise ValidationError(
                _("The hardship check found the worker does not qualify; close the request instead.")
            )
        if not centre.active:
            raise ValidationError({"centre": _("This centre is not accepting referrals.")})
        if referred_on > today:
            raise ValidationError({"referred_on": _("The referral date cannot be in the future.")})
        if referred_on < timezone.localdate(request.created_at):
            raise ValidationError({"referred_on": _("The referral date cannot be before the request.")})
        request.centre = centre
        request.referred_on = referred_on
        request.referred_by = actor
        request.status = LegalAidRequest.Status.REFERRED
        save_tracked(request, actor=actor)
    return request


def close_request(
    *, actor, request: LegalAidRequest, outcome: str, note: str, closed_on: datetime.date, today=None
) -> LegalAidRequest:
    """Close the request with its outcome. The worker may withdraw their own request; every other
    outcome is recorded by the street."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    with transaction.atomic():
        request = _locked(request)
        withdrawing = outcome == Outcome.WITHDRAWN and is_own(actor, request.person_id)
        if not withdrawing:
            _require_handler(actor, request)
        if request.status == LegalAidRequest.Status.CLOSED:
            raise ValidationError(_("This request is already closed."))
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        referred = request.status == LegalAidRequest.Status.REFERRED
        if outcome in (Outcome.CONCLUDED, Outcome.SETTLED, Outcome.NOT_ACCEPTED) and not referred:
            raise ValidationError({"outcome": _("Only a referred request can end at the legal-aid centre.")})
        if outcome == Outcome.NOT_QUALIFIED and request.hardship_result != Result.NOT_MET:
            raise ValidationError(
                {"outcome": _("Only a request that failed the hardship check can close as not qualified.")}
            )
        if not note and not withdrawing:
            raise ValidationError({"note": _("Say how it ended.")})
        if closed_on > today:
            raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
        if closed_on < (request.referred_on or timezone.localdate(request.created_at)):
            raise ValidationError(
                {"closed_on": _("The closing date cannot be before the request or its referral.")}
            )
        request.outcome = outcome
        request.outcome_note = note
        request.closed_on = closed_on
        request.closed_by = actor
        request.status = LegalAidRequest.Status.CLOSED
        save_tracked(request, actor=actor)
    return request
