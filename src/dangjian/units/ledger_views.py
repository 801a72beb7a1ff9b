"""Pages of the five-clears ledger: the street's table, its export, and the part editors.

The unit page itself (``views.unit_detail``) shows the ledger's five cards.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.scope import visible_to
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import add_service_errors
from dangjian.organizations.queries import visible_organizations
from dangjian.people.models import Investor
from dangjian.people.services import find_or_create_person, remove_investor, save_investor
from dangjian.spreadsheets.exports import export_xlsx
from dangjian.units import queries, services
from dangjian.units.ledger import Part, last_updated, ledger_table, may_edit_ledger
from dangjian.units.ledger_forms import (
    EndInstructorForm,
    InstructorForm,
    InvestorEditForm,
    InvestorForm,
    LedgerFilterForm,
    OperationsForm,
    WorkforceReportForm,
)
from dangjian.units.models import InstructorAssignment
from dangjian.units.sheets import LEDGER_SHEET, ledger_rows


@login_required
def ledger(request):
    """The five-clears ledger of every unit in the user's scope, one row per unit."""
    form = LedgerFilterForm(request.GET or None)
    page = page_of(request, ledger_table(request.user, **form.filters()))
    for row in page:
        row.last_updated = last_updated(row)
    template = "units/ledger_table.html#results" if request.htmx else "units/ledger_table.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def ledger_export(request):
    """The ledger table as filtered on screen, as .xlsx: the user's scope only, logged."""
    form = LedgerFilterForm(request.GET or None)
    filters = form.filters()
    return export_xlsx(
        user=request.user,
        spec=LEDGER_SHEET,
        rows=ledger_rows(ledger_table(request.user, **filters)),
        what="five_clears_ledger",
        filters={key: value for key, value in filters.items() if value},
    )


# --- editing a part ------------------------------------------------------------------------------


def _editable_unit(request, unit_pk: int, part: str):
    unit = queries.unit_detail(request.user, unit_pk)  # 404 outside the scope
    if not may_edit_ledger(request.user, unit, part):
        raise PermissionDenied
    return unit


def _back_to(unit, anchor: str):
    return redirect(reverse("units:detail", kwargs={"unit_pk": unit.pk}) + f"#ledger-{anchor}")


def _render_form(request, unit, form, title: str, **extra):
    return render(request, "units/ledger_form.html", {"unit": unit, "form": form, "title": title, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def edit_operations(request, unit_pk: int):
    unit = _editable_unit(request, unit_pk, Part.OPERATIONS)
    initial = {name: getattr(unit, name) for name in OperationsForm.base_fields}
    form = OperationsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_operations(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Operations updated."))
            return _back_to(unit, Part.OPERATIONS)
    return _render_form(request, unit, form, _("Operations"))


@login_required
@require_http_methods(["GET", "POST"])
def report_workforce(request, unit_pk: int):
    unit = _editable_unit(request, unit_pk, Part.WORKFORCE)
    form = WorkforceReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_workforce(
                actor=request.user,
                unit=unit,
                reported_on=form.cleaned_data["reported_on"],
                figures=form.cleaned_data["figures"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reported figures recorded."))
            return _back_to(unit, Part.WORKFORCE)
    return render(request, "units/ledger_workforce_form.html", {"unit": unit, "form": form})


@login_required
@sensitive_post_parameters("id_number", "mobile")
@require_http_methods(["GET", "POST"])
def add_investor(request, unit_pk: int):
    unit = _editable_unit(request, unit_pk, Part.INVESTORS)
    form = InvestorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_investor(
                actor=request.user,
                unit=unit,
                role=data["role"],
                id_number=data["id_number"],
                name=data["name"],
                mobile=data["mobile"],
                political_status=data["political_status"],
                share_percent=data["share_percent"],
                representative_roles=data["representative_roles"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Investor saved."))
            return _back_to(unit, Part.INVESTORS)
    return _render_form(request, unit, form, _("Add an investor"))


def _editable_investor(request, investor_pk: int) -> Investor:
    investor = get_object_or_404(
        visible_to(request.user, Investor.objects.select_related("unit", "person")), pk=investor_pk
    )
    if not may_edit_ledger(request.user, investor.unit, Part.INVESTORS):
        raise PermissionDenied
    return investor


@login_required
@require_http_methods(["GET", "POST"])
def edit_investor(request, investor_pk: int):
    investor = _editable_investor(request, investor_pk)
    initial = {
        "political_status": investor.person.political_status,
        "role": investor.role,
        "share_percent": investor.share_percent,
        "representative_roles": investor.representative_roles,
    }
    form = InvestorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_investor(actor=request.user, unit=investor.unit, person=investor.person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Investor saved."))
            return _back_to(investor.unit, Part.INVESTORS)
    return _render_form(
        request,
        investor.unit,
        form,
        _("Investor: %(name)s") % {"name": investor.person.name},
        investor=investor,
    )


@login_required
@require_POST
def delete_investor(request, investor_pk: int):
    investor = _editable_investor(request, investor_pk)
    unit = investor.unit
    remove_investor(actor=request.user, investor=investor)
    messages.success(request, _("Investor removed."))
    return _back_to(unit, Part.INVESTORS)


@login_required
@sensitive_post_parameters("id_number", "mobile")
@require_http_methods(["GET", "POST"])
def add_instructor(request, unit_pk: int):
    unit = _editable_unit(request, unit_pk, Part.ORGANIZATION)
    organizations = visible_organizations(request.user).order_by("path")
    form = InstructorForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = find_or_create_person(
                actor=request.user, id_number=data["id_number"], name=data["name"], mobile=data["mobile"]
            )
            services.assign_instructor(
                actor=request.user,
                unit=unit,
                instructor=person,
                dispatched_by=data["dispatched_by"],
                start_date=data["start_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Instructor assigned."))
            return _back_to(unit, Part.ORGANIZATION)
    return _render_form(request, unit, form, _("Assign an instructor"))


@login_required
@require_http_methods(["GET", "POST"])
def end_instructor(request, instructorassignment_pk: int):
    assignment = get_object_or_404(
        visible_to(request.user, InstructorAssignment.objects.select_related("unit", "instructor")),
        pk=instructorassignment_pk,
    )
    if not may_edit_ledger(request.user, assignment.unit, Part.ORGANIZATION):
        raise PermissionDenied
    form = EndInstructorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_instructor_assignment(
                actor=request.user, assignment=assignment, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Instructor assignment ended."))
            return _back_to(assignment.unit, Part.ORGANIZATION)
    title = _("End the assignment of %(name)s") % {"name": assignment.instructor.name}
    return _render_form(request, assignment.unit, form, title)
