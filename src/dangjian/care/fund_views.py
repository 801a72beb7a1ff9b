"""Pages of the care fund (关爱基金): apply (a worker on the phone, or staff for a worker), the
list and the application page with the step the user may take, document downloads, the funds
and the reports with their export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import visible_to
from dangjian.care import fund, fund_queries
from dangjian.care.fund_forms import (
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    DocumentForm,
    PaymentForm,
    PersonSearchForm,
    ReportForm,
    ReviewForm,
)
from dangjian.care.fund_rules import fen_to_yuan
from dangjian.care.fund_sheets import APPLICATION_SHEET, REPORT_SHEET, application_rows, report_rows
from dangjian.care.models import CareApplication, CareCategory
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import export_filtered, filtered, render_list


def _own_person(user):
    """The worker's own record, when the user is one (a worker applies for themself)."""
    from dangjian.people.models import Person

    person = Person.objects.filter(user_id=user.pk).first()
    if person is None:
        assignment = user.roles.filter(role="worker").select_related("person").first()
        person = assignment.person if assignment else None
    return person


def _refusal(request, error) -> None:
    for message in getattr(error, "messages", None) or [str(error) or _("You may not do this.")]:
        messages.error(request, message)


def _to_detail(application):
    return redirect(reverse("care:fund_detail", kwargs={"careapplication_pk": application.pk}))


# --- applying ---------------------------------------------------------------------------------


@login_required
def apply(request):
    """A worker applies for themself; staff find the worker first."""
    person = _own_person(request.user)
    if person is not None and not request.user.roles.exclude(role="worker").exists():
        return _application_form(request, person)
    form = PersonSearchForm(request.GET or None)
    text = form.filters().get("text", "")
    people = fund_queries.people_who_may_apply(request.user, text)
    return render(request, "care/fund_apply_pick.html", {"form": form, "people": people, "text": text})


@login_required
def apply_for(request, person_pk: int):
    """Staff apply on a worker's behalf (the worker's own page works the same)."""
    from dangjian.people.queries import person_detail

    person = person_detail(request.user, person_pk)
    if not fund.may_apply_for(request.user, person):
        raise PermissionDenied
    return _application_form(request, person)


def _application_form(request, person):
    from dangjian.people.models import Employment

    today = timezone.localdate()
    current = Employment.objects.filter(person=person, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    employments = visible_to(request.user, current).select_related("unit").order_by("-start_date", "pk")
    units = [e.unit for e in employments]
    units = list({unit.pk: unit for unit in units}.values())
    category = None
    if request.method != "POST" and request.GET.get("category"):
        category = CareCategory.objects.filter(active=True, pk=request.GET["category"]).first()
    form = ApplicationForm(request.POST or None, request.FILES or None, units=units, category=category)
    funds = {unit.pk: fund.funds_for(unit, today.year) for unit in units}
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            application = fund.submit_application(
                actor=request.user,
                person=person,
                unit=unit,
                category=form.cleaned_data["category"],
                amount_fen=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                documents=form.documents(),
                today=today,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or [str(error)])
        else:
            messages.success(request, _("Your application was submitted. The street will review it."))
            return _to_detail(application)
    context = {
        "person": person,
        "form": form,
        "units": units,
        "funds": [f for unit_funds in funds.values() for f in unit_funds],
        "has_funds": any(funds.values()),
        "is_self": fund.is_own(request.user, person.pk),
        "open_application": fund_queries.applications_of_person(request.user, person)
        .filter(status__in=CareApplication.OPEN_STATUSES)
        .first(),
    }
    return render(request, "care/fund_apply.html", context)


# --- the list and one application --------------------------------------------------------------


def _listed(request):
    return filtered(request, ApplicationFilterForm, fund_queries.application_list, user=request.user)


@login_required
def application_list(request):
    form, _filters, applications = _listed(request)
    page = page_of(request, applications)
    return render_list(
        request, "care/fund_list.html", {"form": form, "page": page, "own": _own_person(request.user)}
    )


@login_required
def application_export(request):
    """The list as filtered on screen, as .xlsx: the user's scope only, logged."""
    _form, filters, applications = _listed(request)
    return export_filtered(
        request,
        spec=APPLICATION_SHEET,
        rows=application_rows(applications),
        what="care_fund_applications",
        filters=filters,
    )


@login_required
def application_detail(request, careapplication_pk: int):
    application = fund_queries.application_detail(request.user, careapplication_pk)
    user = request.user
    own = fund.is_own(user, application.person_id)
    Status = CareApplication.Status
    context = {
        "application": application,
        "decisions": fund_queries.decisions_of(user, application),
        "documents": fund_queries.documents_of(user, application),
        "payments": fund_queries.payments_of(user, application),
        "events": timeline(user, application),
        "own": own,
        "steps": _steps(application),
    }
    if not own and application.status == Status.SUBMITTED and fund.may_review(user, application):
        context["review_form"] = ReviewForm()
    if not own and application.status == Status.REVIEWED and fund.may_decide(user, application):
        context["decision_form"] = DecisionForm(initial={"amount": fen_to_yuan(application.amount_fen)})
    if not own and application.status == Status.APPROVED and fund.may_decide(user, application):
        context["payment_form"] = PaymentForm()
    if application.status == Status.SUBMITTED and fund.may_apply_for(user, application.person):
        context["document_form"] = DocumentForm()
    return render(request, "care/fund_detail.html", context)


def _steps(application):
    """The workflow as the worker follows it: (label, done, current)."""
    Status = CareApplication.Status
    order = [Status.SUBMITTED, Status.REVIEWED, Status.APPROVED, Status.PAID]
    labels = [_("Submitted"), _("Reviewed by the street"), _("Approved by the committee"), _("Paid")]
    if application.status == Status.REJECTED:
        reached = {d.step for d in application.decisions.all()}
        done = 2 if "review" in reached and "approval" not in reached else 3
        steps = [(labels[i], True, False) for i in range(done - 1)]
        return [*steps, (_("Rejected"), True, True)]
    position = order.index(application.status)
    return [(label, i <= position, i == position) for i, label in enumerate(labels)]


@login_required
def review(request, careapplication_pk: int):
    application = fund_queries.application_detail(request.user, careapplication_pk)
    if request.method != "POST":
        return _to_detail(application)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _refusal(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return _to_detail(application)
    try:
        fund.review_application(
            actor=request.user,
            application=application,
            passed=form.cleaned_data["decision"] == "pass",
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The review was recorded."))
    return _to_detail(application)


@login_required
def decide(request, careapplication_pk: int):
    application = fund_queries.application_detail(request.user, careapplication_pk)
    if request.method != "POST":
        return _to_detail(application)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _refusal(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return _to_detail(application)
    try:
        fund.decide_application(
            actor=request.user,
            application=application,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            amount_fen=form.cleaned_data.get("amount"),
        )
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The committee's decision was recorded."))
    return _to_detail(application)


@login_required
def pay(request, careapplication_pk: int):
    application = fund_queries.application_detail(request.user, careapplication_pk)
    if request.method != "POST":
        return _to_detail(application)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _refusal(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return _to_detail(application)
    try:
        fund.record_payment(actor=request.user, application=application, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The payment was recorded."))
    return _to_detail(application)


@login_required
def add_document(request, careapplication_pk: int):
    application = fund_queries.application_detail(request.user, careapplication_pk)
    if request.method != "POST":
        return _to_detail(application)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _refusal(request, ValidationError([e for errors in form.errors.values() for e in errors]))
        return _to_detail(application)
    try:
        fund.add_documents(
            actor=request.user,
            application=application,
            documents=[(form.cleaned_data["kind"], form.cleaned_data["file"])],
        )
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The document was added."))
    return _to_detail(application)


@login_required
def document(request, caredocument_pk: int):
    """A document, to those who see its application only: never a public media URL."""
    document = fund_queries.document_detail(request.user, caredocument_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type)
    inline = document.content_type.startswith("image/") or document.content_type == "application/pdf"
    response["Content-Disposition"] = _disposition(document.original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(name: str, *, inline: bool) -> str:
    from urllib.parse import quote

    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"document\"; filename*=UTF-8''{quote(name)}"


# --- funds and reports ------------------------------------------------------------------------


@login_required
def fund_list(request):
    funds = list(fund_queries.fund_list(request.user))
    for item in funds:
        item.available_fen = item.budget_fen - item.reserved_fen - item.paid_fen
    return render(request, "care/fund_funds.html", {"funds": funds})


@login_required
def reports(request):
    form = ReportForm(request.GET or None, user=request.user)
    filters = form.filters() or {"group_by": "year"}
    rows = fund_queries.report(request.user, **filters)
    context = {
        "form": form,
        "rows": rows,
        "totals": fund_queries.report_totals(rows),
        "group_by": filters["group_by"],
    }
    return render_list(request, "care/fund_reports.html", context)


@login_required
def report_export(request):
    form = ReportForm(request.GET or None, user=request.user)
    filters = form.filters() or {"group_by": "year"}
    rows = fund_queries.report(request.user, **filters)
    return export_filtered(
        request,
        spec=REPORT_SHEET,
        rows=report_rows(rows, fund_queries.report_totals(rows)),
        what="care_fund_report",
        filters=filters,
    )
