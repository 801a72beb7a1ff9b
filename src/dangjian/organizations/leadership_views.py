"""Pages of the secretaries-and-leadership part (measure 5): organizations whose leading group
is out of rule, cross appointment by street and unit, and the forms for management posts and the
decision log. The organization page and the unit page show their sections through template tags
(templatetags/organizations_leadership.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import add_service_errors
from dangjian.organizations import leadership_queries as queries
from dangjian.organizations import leadership_services as services
from dangjian.organizations.leadership_forms import (
    CrossAppointmentFilterForm,
    DecisionForm,
    EndManagementPostForm,
    LeadershipFilterForm,
    ManagementPostForm,
)
from dangjian.organizations.leadership_sheets import (
    CROSS_APPOINTMENT_SHEET,
    LEADERSHIP_SHEET,
    cross_appointment_rows,
    leadership_rows,
)
from dangjian.spreadsheets.exports import export_xlsx
from dangjian.units.queries import unit_detail


def _logged(filters: dict) -> dict:
    return {key: value for key, value in filters.items() if value}


@login_required
def leadership_list(request):
    form = LeadershipFilterForm(request.GET or None)
    page = page_of(request, queries.leadership_list(request.user, **form.filters()))
    rows = queries.with_secretaries(page)
    template = (
        "organizations/leadership_list.html#results" if request.htmx else "organizations/leadership_list.html"
    )
    return render(request, template, {"form": form, "page": page, "rows": rows})


@login_required
def leadership_export(request):
    """The list as filtered on screen, as .xlsx: the user's scope only, logged."""
    form = LeadershipFilterForm(request.GET or None)
    filters = form.filters()
    rows = queries.with_secretaries(queries.leadership_list(request.user, **filters))
    return export_xlsx(
        user=request.user,
        spec=LEADERSHIP_SHEET,
        rows=leadership_rows(rows),
        what="leadership",
        filters=_logged(filters),
    )


@login_required
def cross_appointment(request):
    """The district/street summary and the covered units with or without cross appointment."""
    form = CrossAppointmentFilterForm(request.GET or None)
    filters = form.filters()
    page = page_of(request, queries.cross_appointment_units(request.user, **filters))
    page.object_list = queries.with_unit_details(request.user, page)
    context = {"form": form, "page": page}
    if request.htmx:
        return render(request, "organizations/cross_appointment.html#results", context)
    summary_filters = {key: filters[key] for key in ("industry",) if key in filters}
    context["summary"], context["totals"] = queries.cross_appointment_summary(request.user, **summary_filters)
    return render(request, "organizations/cross_appointment.html", context)


@login_required
def cross_appointment_export(request):
    form = CrossAppointmentFilterForm(request.GET or None)
    filters = form.filters()
    units = queries.with_unit_details(request.user, queries.cross_appointment_units(request.user, **filters))
    return export_xlsx(
        user=request.user,
        spec=CROSS_APPOINTMENT_SHEET,
        rows=cross_appointment_rows(units),
        what="cross_appointment",
        filters=_logged(filters),
    )


# --- forms -------------------------------------------------------------------------------------


def _back_to_unit(unit):
    return redirect(reverse("units:detail", kwargs={"unit_pk": unit.pk}) + "#leadership")


def _render(request, unit, form, title: str, record=None, notice: str = ""):
    """The form page; for an existing record, with its timeline (every change is audited)."""
    context = {"unit": unit, "form": form, "title": title, "notice": notice}
    if record is not None:
        context["events"] = timeline(request.user, record)[:50]
    return render(request, "organizations/leadership_form.html", context)


@login_required
@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "POST"])
def management_post_new(request, unit_pk: int):
    unit = unit_detail(request.user, unit_pk)  # 404 outside the scope
    if not services.may_edit_management_posts(request.user, unit):
        raise PermissionDenied
    form = ManagementPostForm(
        request.POST or None,
        people=queries.people_for_posts(request.user, unit),
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appoint_management_post(
                actor=request.user,
                unit=unit,
                person=data["person"],
                id_number=data["id_number"],
                name=data["name"],
                kind=data["kind"],
                title=data["title"],
                start_date=data["start_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The management post was recorded."))
            return _back_to_unit(unit)
    return _render(request, unit, form, _("Record a management post"))


@login_required
@require_http_methods(["GET", "POST"])
def management_post_end(request, managementpost_pk: int):
    post = queries.management_post_detail(request.user, managementpost_pk)
    if not services.may_edit_management_posts(request.user, post.unit):
        raise PermissionDenied
    form = EndManagementPostForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_management_post(
                actor=request.user, post=post, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The management post was ended."))
            return _back_to_unit(post.unit)
    title = _("End the post: %(post)s, %(name)s") % {"post": post.display_title, "name": post.person.name}
    return _render(request, post.unit, form, title, record=post)


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, unit_pk: int):
    unit = unit_detail(request.user, unit_pk)
    if not services.may_record_decisions(request.user, unit):
        raise PermissionDenied
    organizations = queries.covering_organizations(request.user, unit)
    initial = {"decided_on": timezone.localdate()}
    if len(organizations) == 1:
        initial["organization"] = organizations[0]
    form = DecisionForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return _back_to_unit(unit)
    notice = "" if organizations else _("No party organization you can see covers this unit.")
    return _render(request, unit, form, _("Record a major decision"), notice=notice)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, majordecision_pk: int):
    decision = queries.decision_detail(request.user, majordecision_pk)
    if not services.may_record_decisions(request.user, decision.unit):
        raise PermissionDenied
    initial = {name: getattr(decision, name) for name in DecisionForm.base_fields}
    form = DecisionForm(
        request.POST or None,
        organizations=queries.covering_organizations(request.user, decision.unit),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_decision(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was saved."))
            return _back_to_unit(decision.unit)
    title = _("Major decision: %(matter)s") % {"matter": decision.matter}
    return _render(request, decision.unit, form, title, record=decision)
