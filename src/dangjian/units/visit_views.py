"""Pages for return visits (定期回访): record a visit, close its actions, set the interval, and the
list of visits due or overdue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.paging import page_of
from dangjian.spreadsheets.exports import export_xlsx
from dangjian.units import queries, services
from dangjian.units.forms import (
    CloseVisitActionForm,
    OverdueVisitFilterForm,
    VisitActionFormSet,
    VisitForm,
    VisitIntervalForm,
)
from dangjian.units.sheets import VISIT_SHEET, visit_rows
from dangjian.units.visits import days_overdue, default_intervals, may_record_visits


def _unit_for_visits(request, unit_pk: int):
    """The unit, if the user may see it (else 404) and record visits to it (else 403)."""
    unit = queries.unit_detail(request.user, unit_pk)
    if not may_record_visits(request.user, unit):
        raise PermissionDenied
    return unit


def _back_to_unit(unit):
    return redirect(reverse("units:detail", kwargs={"unit_pk": unit.pk}) + "#visits")


@login_required
def record_visit(request, unit_pk: int):
    unit = _unit_for_visits(request, unit_pk)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    actions = VisitActionFormSet(request.POST or None, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            services.record_visit(
                actor=request.user,
                unit=unit,
                **form.cleaned_data,
                actions=[a for a in actions.cleaned_data if a.get("description", "").strip()],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The return visit was recorded."))
            return _back_to_unit(unit)
    return render(request, "units/visit_form.html", {"unit": unit, "form": form, "actions": actions})


@login_required
def close_visit_action(request, visitaction_pk: int):
    action = queries.visit_action_detail(request.user, visitaction_pk)
    unit = action.visit.unit
    if not may_record_visits(request.user, unit):
        raise PermissionDenied
    form = CloseVisitActionForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_visit_action(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The follow-up action was closed."))
            return _back_to_unit(unit)
    return render(request, "units/visit_action_close.html", {"unit": unit, "action": action, "form": form})


@login_required
def visit_interval(request, unit_pk: int):
    unit = _unit_for_visits(request, unit_pk)
    form = VisitIntervalForm(request.POST or None, initial={"days": unit.visit_interval_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_visit_interval(actor=request.user, unit=unit, days=form.cleaned_data["days"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The return visit interval was saved."))
            return _back_to_unit(unit)
    context = {"unit": unit, "form": form, "default_days": default_intervals()[unit.kind]}
    return render(request, "units/visit_interval.html", context)


def _listed(request):
    """The filter form, its values (for the export log) and the units it selects."""
    form = OverdueVisitFilterForm(request.GET or None)
    filters = form.filters()
    query = {key: value for key, value in filters.items() if key != "when"}
    list_of = queries.visits_due_soon if filters.get("when") == "soon" else queries.overdue_visits
    return form, filters, list_of(request.user, **query)


@login_required
def overdue_visits(request):
    form, _filters, units = _listed(request)
    page = page_of(request, units)
    today = timezone.localdate()
    for unit in page:
        unit.days_overdue = days_overdue(unit.next_due, today)
    template = "units/visits_overdue.html#results" if request.htmx else "units/visits_overdue.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def overdue_visits_export(request):
    """The list as filtered on screen, as .xlsx: the user's scope only, logged."""
    _form, filters, units = _listed(request)
    return export_xlsx(
        user=request.user,
        spec=VISIT_SHEET,
        rows=visit_rows(units, today=timezone.localdate()),
        what="visits_overdue",
        filters={key: value for key, value in filters.items() if value},
    )
