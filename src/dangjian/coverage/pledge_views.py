"""Pages for one-to-one help (一对一帮扶): the pledge list, a pledge with its progress, recording
and updating pledges, and the committee members still without a pledge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import visible_to
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import export_filtered, filtered, render_list, run_service
from dangjian.coverage import pledge_queries, pledges
from dangjian.coverage.pledge_forms import (
    CommitteeFilterForm,
    PledgeFilterForm,
    PledgeForm,
    ProgressForm,
    ResultForm,
    WithdrawForm,
)
from dangjian.coverage.pledge_sheets import (
    MISSING_SHEET,
    PLEDGE_SHEET,
    missing_rows,
    pledge_rows,
)
from dangjian.organizations.models import CommitteeMember
from dangjian.units.models import Unit

UNIT_OPTIONS = 20


def _listed(request):
    return filtered(request, PledgeFilterForm, pledge_queries.pledge_list, user=request.user)


@login_required
def pledge_list(request):
    form, _filters, rows = _listed(request)
    context = {
        "form": form,
        "page": page_of(request, rows),
        "may_manage": pledges.may_manage_pledges(request.user),
    }
    return render_list(request, "coverage/pledge_list.html", context)


@login_required
def pledge_export(request):
    """The pledge list as filtered on screen, as .xlsx: the user's scope only, logged."""
    _form, filters, rows = _listed(request)
    return export_filtered(
        request, spec=PLEDGE_SHEET, rows=pledge_rows(rows), what="pledges", filters=filters
    )


def _without_pledge(request):
    return filtered(request, CommitteeFilterForm, pledge_queries.members_without_pledge, user=request.user)


@login_required
def members_without_pledge(request):
    form, _filters, members = _without_pledge(request)
    context = {
        "form": form,
        "counts": pledge_queries.committee_pledge_counts(request.user),
        "page": page_of(request, members),
        "may_manage": pledges.may_manage_pledges(request.user),
    }
    return render_list(request, "coverage/pledge_missing.html", context)


@login_required
def members_without_pledge_export(request):
    _form, filters, members = _without_pledge(request)
    return export_filtered(
        request,
        spec=MISSING_SHEET,
        rows=missing_rows(members),
        what="committee_members_without_pledge",
        filters=filters,
    )


@login_required
def unit_options(request):
    """<option>s for the target-unit field: visible units whose name or code matches."""
    text = request.GET.get("target_unit", "").strip()
    units = Unit.objects.none()
    if len(text) >= 2:
        units = visible_to(
            request.user, Unit.objects.filter(name__icontains=text) | Unit.objects.filter(uscc=text)
        )
        units = units.select_related("street").order_by("name")[:UNIT_OPTIONS]
    return render(request, "coverage/pledge_unit_options.html", {"units": units})


def _initial_target(request) -> dict:
    """A pledge started from a unit's page or a member's line carries them."""
    initial = {"pledged_on": timezone.localdate()}
    unit_pk = request.GET.get("unit", "")
    if unit_pk.isdigit():
        unit = visible_to(request.user, Unit.objects.filter(pk=int(unit_pk))).first()
        if unit is not None:
            initial["target_unit"] = unit.uscc or unit.name
    member_pk = request.GET.get("member", "")
    if member_pk.isdigit():
        initial["committee_member"] = int(member_pk)
    return initial


@login_required
def pledge_new(request):
    if not pledges.may_manage_pledges(request.user):
        raise PermissionDenied
    form = PledgeForm(request.POST or None, user=request.user, initial=_initial_target(request))
    if request.method == "POST" and form.is_valid():
        try:
            pledge = pledges.record_pledge(
                actor=request.user,
                committee_member=form.cleaned_data["committee_member"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The pledge was recorded."))
            return redirect("coverage:pledge_detail", pledge_pk=pledge.pk)
    return render(request, "coverage/pledge_form.html", {"form": form, "pledge": None})


def _editable(request, pledge_pk: int):
    pledge = pledge_queries.pledge_detail(request.user, pledge_pk)
    if not pledges.may_edit_pledge(request.user, pledge):
        raise PermissionDenied
    return pledge


@login_required
def pledge_edit(request, pledge_pk: int):
    pledge = _editable(request, pledge_pk)
    unit = pledge.target_unit
    initial = {
        "pledged_on": pledge.pledged_on,
        "target_unit": (unit.uscc or unit.name) if unit else "",
        "target_region": pledge.target_region_id,
        "target_key_area": pledge.target_key_area,
        "target_description": pledge.target_description,
    }
    form = PledgeForm(
        request.POST or None, user=request.user, member_fixed=pledge.committee_member, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledges.update_pledge(actor=request.user, pledge=pledge, **form.service_arguments())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The pledge was saved."))
            return redirect("coverage:pledge_detail", pledge_pk=pledge.pk)
    return render(request, "coverage/pledge_form.html", {"form": form, "pledge": pledge})


def _detail_context(request, pledge, **forms) -> dict:
    may_edit = pledges.may_edit_pledge(request.user, pledge)
    today = timezone.localdate()
    context = {
        "pledge": pledge,
        "may_edit": may_edit,
        "events": timeline(request.user, pledge)[:50],
    }
    if may_edit and pledge.status == pledge.Status.IN_PROGRESS:
        context["progress_form"] = forms.get("progress_form") or ProgressForm(initial={"noted_on": today})
        context["result_form"] = forms.get("result_form") or ResultForm(
            user=request.user, pledge=pledge, initial={"result_on": today}
        )
        context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()
    return context


@login_required
def pledge_detail(request, pledge_pk: int):
    pledge = pledge_queries.pledge_detail(request.user, pledge_pk)
    return render(request, "coverage/pledge_detail.html", _detail_context(request, pledge))


def _pledge_action(request, pledge_pk: int, form_name: str, make_form, action, done: str):
    """A POST action of the pledge page: ``action(actor, pledge, **form data)``; on a refusal or
    an invalid form, the page again with that form's errors."""
    pledge = _editable(request, pledge_pk)
    if request.method != "POST":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    form = make_form(pledge)
    ok, _result = run_service(form, lambda data: action(actor=request.user, pledge=pledge, **data))
    if ok:
        messages.success(request, done)
        return redirect("coverage:pledge_detail", pledge_pk=pledge.pk)
    context = _detail_context(request, pledge, **{form_name: form})
    return render(request, "coverage/pledge_detail.html", context, status=400)


@login_required
def pledge_progress(request, pledge_pk: int):
    return _pledge_action(
        request,
        pledge_pk,
        "progress_form",
        lambda pledge: ProgressForm(request.POST),
        pledges.add_progress,
        _("The progress was noted."),
    )


@login_required
def pledge_result(request, pledge_pk: int):
    return _pledge_action(
        request,
        pledge_pk,
        "result_form",
        lambda pledge: ResultForm(request.POST, user=request.user, pledge=pledge),
        pledges.record_result,  # organization, result_on
        _("The organization built was recorded."),
    )


@login_required
def pledge_withdraw(request, pledge_pk: int):
    return _pledge_action(
        request,
        pledge_pk,
        "withdraw_form",
        lambda pledge: WithdrawForm(request.POST),
        pledges.withdraw_pledge,  # reason
        _("The pledge was withdrawn."),
    )


@login_required
def member_pledges(request, committeemember_pk: int):
    """A committee member's pledges, from the list of members (and the way to record one)."""
    member = get_object_or_404(
        visible_to(request.user, CommitteeMember.objects.select_related("person", "organization")),
        pk=committeemember_pk,
    )
    context = {
        "member": member,
        "pledges": pledge_queries.pledge_list(request.user).filter(committee_member=member),
        "may_pledge": pledges.may_pledge_for(request.user, member),
    }
    return render(request, "coverage/pledge_member.html", context)
