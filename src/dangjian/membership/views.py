"""Pages of the development pipeline (发展党员): the list, the to-do list, the board per
organization, the application form, the record sheet (printable, .xlsx) and the step form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_of, sees_party_member_names
from dangjian.core.paging import page_of
from dangjian.membership import queries, rules, services
from dangjian.membership.models import DevelopmentStep
from dangjian.membership.pipeline_forms import ApplicationForm, RecordFilterForm, StepForm, TodoFilterForm
from dangjian.membership.pipeline_sheets import STEP_SHEET
from dangjian.spreadsheets.exports import xlsx_response
from dangjian.spreadsheets.models import ExportLog
from dangjian.spreadsheets.writer import write_rows

Kind = DevelopmentStep.Kind


def _require_party_work(user) -> None:
    """Pipeline data are party work: not for enterprise liaisons, nor workers (beyond their own)."""
    if not sees_party_member_names(user):
        raise PermissionDenied


def _record_for_reading(request, developmentrecord_pk: int):
    """The record if the user may see it (else 404): party-work roles in scope, or the person."""
    record = queries.record_detail(request.user, developmentrecord_pk)
    if not (sees_party_member_names(request.user) or record.person_id in scope_of(request.user).person_ids):
        raise PermissionDenied
    return record


def _show_refusal(form, error: ValidationError) -> bool:
    """Put a refused write's messages on the form; True when a district administrator may
    override it with a reason."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    for message in error.messages:
        form.add_error(None, message)
    return bool(getattr(error, "overridable", False))


@login_required
def record_list(request):
    _require_party_work(request.user)
    organizations = queries.developing_organizations(request.user)
    form = RecordFilterForm(request.GET or None, organizations=organizations)
    page = page_of(request, queries.record_list(request.user, **form.filters()))
    today = timezone.localdate()
    for record in page:
        record.days = (today - record.stage_since).days
    template = (
        "membership/development_list.html#results" if request.htmx else "membership/development_list.html"
    )
    context = {"form": form, "page": page, "counts": queries.stage_counts(request.user)}
    return render(request, template, context)


@login_required
def todo(request):
    _require_party_work(request.user)
    form = TodoFilterForm(request.GET or None, organizations=queries.developing_organizations(request.user))
    page = page_of(request, queries.todo(request.user, **form.filters()))
    template = (
        "membership/development_todo.html#results" if request.htmx else "membership/development_todo.html"
    )
    context = {"form": form, "page": page, "days_ahead": queries.reminder_days_ahead()}
    return render(request, template, context)


@login_required
def board(request, organization_pk: int):
    organization = queries.visible_organization(request.user, organization_pk)
    _require_party_work(request.user)
    context = {
        "organization": organization,
        "columns": queries.board(request.user, organization),
        "can_open": services.can_open(request.user, organization),
    }
    return render(request, "membership/development_board.html", context)


@login_required
def application_new(request, organization_pk: int):
    organization = queries.visible_organization(request.user, organization_pk)
    if not services.can_open(request.user, organization):
        raise PermissionDenied
    can_override = services.may_override(request.user)
    form = ApplicationForm(request.POST or None, can_override=can_override)
    overridable = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = services.find_applicant(
                    actor=request.user, id_number=data["id_number"], name=data["name"]
                )
                record = services.start_application(
                    actor=request.user,
                    organization=organization,
                    person=person,
                    applied_on=data["applied_on"],
                    notes=data.get("notes", ""),
                    override_reason=data.get("override_reason", ""),
                )
        except ValidationError as error:
            overridable = _show_refusal(form, error)
        else:
            messages.success(request, _("The application was recorded."))
            return redirect("membership:record", developmentrecord_pk=record.pk)
    context = {"organization": organization, "form": form, "overridable": overridable}
    return render(request, "membership/development_application_form.html", context)


@login_required
def record_detail(request, developmentrecord_pk: int):
    """The development record sheet (发展党员纪实表): printable, with the steps, what is due and,
    for those who keep the record, the steps that may come next."""
    record = _record_for_reading(request, developmentrecord_pk)
    can_manage = services.may_manage_record(request.user, record)
    context = {
        "record": record,
        "steps": queries.steps_of(request.user, record),
        "due": queries.due_of(request.user, record),
        "can_manage": can_manage,
        "next_steps": [Kind(kind) for kind in rules.steps_allowed(record.stage)] if can_manage else [],
        "rules": services.rules_for(record.organization),
        "events": queries.record_timeline(request.user, record),
        "today": timezone.localdate(),
    }
    return render(request, "membership/development_record.html", context)


@login_required
def record_export(request, developmentrecord_pk: int):
    """The record sheet as .xlsx (one row per step), logged like every export."""
    record = _record_for_reading(request, developmentrecord_pk)
    rows = list(queries.sheet_rows(queries.steps_of(request.user, record)))
    title = (
        f"{STEP_SHEET.name}：{record.person.name}（{record.organization.name}，{record.get_stage_display()}）"
    )
    content = write_rows(STEP_SHEET, rows, title=title)
    with transaction.atomic():
        ExportLog.objects.create(
            user=request.user, what="development_record", filters={"record": record.pk}, rows=len(rows)
        )
    return xlsx_response(
        content, f"{STEP_SHEET.name}-{record.person.name}-{timezone.localdate():%Y%m%d}.xlsx"
    )


@login_required
def step_new(request, developmentrecord_pk: int):
    record = queries.record_detail(request.user, developmentrecord_pk)
    if not services.may_manage_record(request.user, record):
        raise PermissionDenied
    allowed = rules.steps_allowed(record.stage)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in allowed:
        choices = [Kind(k) for k in allowed]
        return render(
            request, "membership/development_step_choose.html", {"record": record, "choices": choices}
        )
    can_override = services.may_override(request.user)
    people = queries.full_members_of(request.user, record.organization)
    form = StepForm(request.POST or None, kind=kind, people=people, can_override=can_override)
    overridable = False
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(actor=request.user, record=record, kind=kind, **form.values())
        except ValidationError as error:
            overridable = _show_refusal(form, error)
        else:
            messages.success(request, _("The step “%(step)s” was recorded.") % {"step": Kind(kind).label})
            return redirect(
                reverse("membership:record", kwargs={"developmentrecord_pk": record.pk}) + "#steps"
            )
    context = {
        "record": record,
        "kind": Kind(kind),
        "form": form,
        "overridable": overridable,
        "can_override": can_override,
    }
    return render(request, "membership/development_step_form.html", context)
