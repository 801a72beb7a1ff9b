"""Reads of the care fund (关爱基金) and legal aid (法律援助), each starting from visible_to;
sums and counts in SQL."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import visible_to
from dangjian.care.models import (
    CareApplication,
    CareCategory,
    CareCategoryKind,
    CareDecision,
    CareDocument,
    CareFund,
    CarePayment,
    LegalAidRequest,
)
from dangjian.core.choices import JobType
from dangjian.core.filtering import filter_given

Status = CareApplication.Status


def visible_applications(user):
    return visible_to(user, CareApplication.objects.all())


def visible_funds(user):
    return visible_to(user, CareFund.objects.all())


def application_list(user, *, status="", fund_id=None, category_id=None, street_id=None, year=None, text=""):
    applications = visible_applications(user).select_related("person", "fund", "category", "unit", "street")
    applications = filter_given(
        applications,
        status=status,
        fund_id=fund_id,
        category_id=category_id,
        street_id=street_id,
        fund__year=year,
    )
    if text:
        applications = applications.filter(Q(person__name__icontains=text) | Q(unit__name__icontains=text))
    return applications


def application_detail(user, pk: int) -> CareApplication:
    return get_object_or_404(
        visible_applications(user).select_related(
            "person", "fund__committee", "category", "unit", "street", "applied_by"
        ),
        pk=pk,
    )


def decisions_of(user, application: CareApplication):
    return visible_to(user, CareDecision.objects.filter(application=application)).select_related("decided_by")


def documents_of(user, application: CareApplication):
    return visible_to(user, CareDocument.objects.filter(application=application)).select_related(
        "uploaded_by"
    )


def payments_of(user, application: CareApplication):
    return visible_to(user, CarePayment.objects.filter(application=application)).select_related("recorded_by")


def document_detail(user, pk: int) -> CareDocument:
    return get_object_or_404(visible_to(user, CareDocument.objects.all()), pk=pk)


def applications_of_person(user, person):
    """A worker's applications, newest first (the worker's own page and their home)."""
    return visible_applications(user).filter(person=person).select_related("fund", "category")


def _fen(expression):
    return Coalesce(expression, Value(0), output_field=IntegerField())


def fund_list(user, *, year=None):
    """Visible funds with what is approved but unpaid (reserved), paid and still available."""
    reserved = (
        CareApplication.objects.filter(fund=OuterRef("pk"), status=Status.APPROVED)
        .order_by()
        .values("fund")
        .annotate(total=Sum("approved_fen"))
        .values("total")
    )
    paid = (
        CarePayment.objects.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(total=Sum("amount_fen"))
        .values("total")
    )
    funds = visible_funds(user).select_related("committee")
    if year:
        funds = funds.filter(year=year)
    return funds.annotate(
        reserved_fen=_fen(Subquery(reserved)),
        paid_fen=_fen(Subquery(paid)),
    )


def years_with_funds(user) -> list[int]:
    return list(visible_funds(user).order_by("-year").values_list("year", flat=True).distinct())


def people_who_may_apply(user, text: str, *, limit: int = 20, current_only: bool = True):
    """People the user sees whose name contains ``text`` (staff filing on a worker's behalf): with
    a current employment for the care fund; anyone who worked at a unit for legal aid (wages are
    often claimed after leaving)."""
    from dangjian.people.models import Person

    text = (text or "").strip()
    if not text:
        return Person.objects.none()
    people = Person.objects.filter(name__icontains=text, employments__isnull=False)
    if current_only:
        people = people.filter(employments__end_date__isnull=True)
    return visible_to(user, people).distinct().order_by("name", "pk")[:limit]


# --- reports ----------------------------------------------------------------------------------

# How a report groups: (the value grouped on, how a value is labelled).
GROUPINGS = {
    "year": "fund__year",
    "category": "category__kind",
    "street": "street__name",
    "job_type": "job_type",
}


def _label(group_by: str, value) -> str:
    if value is None or value == "":
        from django.utils.translation import gettext

        return gettext("(none)")
    if group_by == "category":
        return str(CareCategoryKind(value).label)
    if group_by == "job_type":
        return str(JobType(value).label)
    return str(value)


def report(user, *, group_by: str = "year", year=None, fund_id=None, category_id=None):
    """Applications the user may see, counted and summed per year, category, street or job type.

    Each row: label, applications, in progress, rejected, approved (approved or paid), paid, and
    the amounts requested, approved and paid in fen. One GROUP BY query."""
    key = GROUPINGS.get(group_by, GROUPINGS["year"])
    applications = visible_applications(user)
    if year:
        applications = applications.filter(fund__year=year)
    if fund_id:
        applications = applications.filter(fund_id=fund_id)
    if category_id:
        applications = applications.filter(category_id=category_id)
    granted = Q(status__in=[Status.APPROVED, Status.PAID])
    rows = (
        applications.order_by()
        .values(key)
        .annotate(
            applications=Count("id"),
            in_progress=Count(
                "id", filter=Q(status__in=CareApplication.OPEN_STATUSES) & ~Q(status=Status.APPROVED)
            ),
            rejected=Count("id", filter=Q(status=Status.REJECTED)),
            approved=Count("id", filter=granted),
            paid=Count("id", filter=Q(status=Status.PAID)),
            requested_fen=_fen(Sum("amount_fen")),
            approved_fen=_fen(Sum("approved_fen", filter=granted)),
            paid_fen=_fen(Sum("payments__amount_fen")),
        )
        .order_by(key)
    )
    return [{**row, "label": _label(group_by, row[key]), "key": row[key]} for row in rows]


def report_totals(rows) -> dict:
    fields = (
        "applications",
        "in_progress",
        "rejected",
        "approved",
        "paid",
        "requested_fen",
        "approved_fen",
        "paid_fen",
    )
    return {name: sum(row[name] for row in rows) for name in fields}


def categories():
    return CareCategory.objects.all()


# --- legal aid --------------------------------------------------------------------------------


def visible_legal_aid(user):
    return visible_to(user, LegalAidRequest.objects.all())


def legal_aid_list(user, *, status="", kind="", street_id=None, text=""):
    requests = visible_legal_aid(user).select_related("person", "unit", "street", "centre")
    requests = filter_given(requests, status=status, kind=kind, street_id=street_id)
    if text:
        requests = requests.filter(Q(person__name__icontains=text) | Q(unit__name__icontains=text))
    return requests


def legal_aid_detail(user, pk: int) -> LegalAidRequest:
    return get_object_or_404(
        visible_legal_aid(user).select_related(
            "person", "unit", "street", "centre", "requested_by", "checked_by", "referred_by", "closed_by"
        ),
        pk=pk,
    )


def legal_aid_counts(user) -> dict:
    """Requests per status, in one query."""
    rows = visible_legal_aid(user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
