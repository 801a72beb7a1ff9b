"""Pages of the joint-build planner (联合建/区域建): run it for an area, review a proposal on a map
and as a table, edit a group, accept or decline it. Thin: the workflow is in proposals.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import visible_to
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.core.view_helpers import run_service
from dangjian.coverage import proposal_queries as queries
from dangjian.coverage import proposals
from dangjian.coverage.models import JointBuildProposal, ProposedGroup
from dangjian.coverage.proposal_forms import AcceptForm, DeclineForm, GroupFilterForm, PlanForm
from dangjian.coverage.proposal_sheets import PROPOSAL_SHEET, proposal_rows
from dangjian.spreadsheets.exports import export_xlsx
from dangjian.units.models import Unit

GROUPS_PER_PAGE = 25


def _point(lat, lng, name: str, **extra) -> dict | None:
    if lat is None or lng is None:
        return None
    return {"name": name, "lat": float(lat), "lon": float(lng), **extra}


def _map_groups(groups, states) -> list[dict]:
    """Groups as the map script reads them: number, status, link, and the units' points."""
    data = []
    for group in groups:
        state = states.get(group.pk, {})
        members = {c.id: c for c in state.get("members", [])}
        points = []
        for unit in group.units.all():
            full = getattr(members.get(unit.pk), "full_members", None)
            point = _point(unit.latitude, unit.longitude, unit.name, members=full)
            if point:
                points.append(point)
        data.append(
            {
                "number": group.number,
                "status": group.status,
                "valid": not state.get("problems"),
                "url": reverse("coverage:group_detail", kwargs={"proposedgroup_pk": group.pk}),
                "units": points,
            }
        )
    return data


@login_required
def proposal_list(request):
    plan_form = PlanForm(user=request.user)
    may_run = plan_form.whole_district or plan_form.fields["street"].queryset.exists()
    context = {
        "plan_form": plan_form if may_run else None,
        "page": page_of(request, queries.proposal_list(request.user)),
    }
    return render(request, "coverage/proposal_list.html", context)


@login_required
@require_POST
def proposal_run(request):
    form = PlanForm(request.POST, user=request.user)
    if not form.is_valid():
        context = {"plan_form": form, "page": page_of(request, queries.proposal_list(request.user))}
        return render(request, "coverage/proposal_list.html", context, status=400)
    try:
        proposal = proposals.start_proposal(
            actor=request.user, street=form.cleaned_data["street"], key_area=form.cleaned_data["key_area"]
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        context = {"plan_form": form, "page": page_of(request, queries.proposal_list(request.user))}
        return render(request, "coverage/proposal_list.html", context, status=400)
    return redirect("coverage:proposal_detail", jointbuildproposal_pk=proposal.pk)


@login_required
def proposal_detail(request, jointbuildproposal_pk: int):
    proposal = queries.proposal_detail(request.user, jointbuildproposal_pk)
    context = {"proposal": proposal, "progress": proposals.progress_of(proposal)}
    running = proposal.status in (JointBuildProposal.Status.QUEUED, JointBuildProposal.Status.RUNNING)
    if request.htmx:
        response = render(request, "coverage/proposal_detail.html#status", context)
        if not running:  # finished while the page was polling: show the result
            response["HX-Refresh"] = "true"
        return response
    if proposal.status == JointBuildProposal.Status.READY:
        form = GroupFilterForm(request.GET or None, streets=queries.proposal_streets(request.user, proposal))
        groups = queries.proposal_groups(request.user, proposal, **form.filters())
        page = page_of(request, groups, per_page=GROUPS_PER_PAGE)
        params = proposals.current_params()
        states = proposals.groups_states(list(page), params=params)
        for group in page:
            group.state = states[group.pk]
        context.update(
            form=form,
            page=page,
            summary=queries.proposal_summary(request.user, proposal),
            may_decide=proposals.may_decide(request.user, proposal),
            map_data={"tiles": settings.MAP_TILE_URL, "groups": _map_groups(page, states)},
        )
    return render(request, "coverage/proposal_detail.html", context)


@login_required
def proposal_export(request, jointbuildproposal_pk: int):
    """The proposal's groups as .xlsx (one row per unit): the user's scope only, logged."""
    proposal = queries.proposal_detail(request.user, jointbuildproposal_pk)
    groups = queries.proposal_groups(request.user, proposal)
    return export_xlsx(
        user=request.user,
        spec=PROPOSAL_SHEET,
        rows=proposal_rows(groups),
        what="joint_build_proposal",
        filters={"proposal": proposal.pk},
    )


def _group_context(request, group: ProposedGroup, **forms) -> dict:
    params = proposals.current_params()
    state = proposals.group_state(group, params=params)
    group.state = state
    may_decide = proposals.may_decide(request.user, group.proposal)
    is_open = group.status == ProposedGroup.Status.PROPOSED
    members = {c.id: c for c in state["members"]}
    units = list(group.units.all())
    for unit in units:
        unit.candidate = members.get(unit.pk)
    nearby = proposals.nearby_candidates(request.user, group, params=params) if may_decide and is_open else []
    map_groups = _map_groups([group], {group.pk: state})
    candidates = [
        point
        for row in nearby
        if (
            point := _point(
                row["candidate"].lat, row["candidate"].lng, row["name"], members=row["candidate"].full_members
            )
        )
    ]
    context = {
        "group": group,
        "proposal": group.proposal,
        "units": units,
        "state": state,
        "rules": proposals.params_record(params),
        "nearby": nearby,
        "may_decide": may_decide and is_open,
        "declined": queries.declined_for_group(request.user, group),
        "events": timeline(request.user, group)[:50],
        "map_data": {"tiles": settings.MAP_TILE_URL, "groups": map_groups, "candidates": candidates},
    }
    if may_decide and is_open:
        context["accept_form"] = forms.get("accept_form") or AcceptForm(
            initial={"name": proposals.suggested_name(group)}
        )
        context["decline_form"] = forms.get("decline_form") or DeclineForm()
    return context


@login_required
def group_detail(request, proposedgroup_pk: int):
    group = queries.group_detail(request.user, proposedgroup_pk)
    return render(request, "coverage/proposal_group.html", _group_context(request, group))


def _decidable(request, proposedgroup_pk: int) -> ProposedGroup:
    group = queries.group_detail(request.user, proposedgroup_pk)
    if not proposals.may_decide(request.user, group.proposal):
        raise PermissionDenied
    return group


def _posted_unit(request) -> Unit:
    pk = request.POST.get("unit", "")
    if not pk.isdigit():
        raise ValidationError(_("Choose a unit."))
    return get_object_or_404(visible_to(request.user, Unit.objects.all()), pk=int(pk))


def _back(group: ProposedGroup):
    return redirect("coverage:group_detail", proposedgroup_pk=group.pk)


def _edit(request, proposedgroup_pk: int, action):
    group = _decidable(request, proposedgroup_pk)
    if request.method != "POST":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    try:
        state = action(actor=request.user, group=group, unit=_posted_unit(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if state["problems"]:
            messages.warning(
                request, _("Saved. The group cannot be accepted until it keeps the rules again.")
            )
        else:
            messages.success(request, _("Saved. The group keeps the rules."))
    return _back(group)


@login_required
def group_add_unit(request, proposedgroup_pk: int):
    return _edit(request, proposedgroup_pk, proposals.add_unit)


@login_required
def group_remove_unit(request, proposedgroup_pk: int):
    return _edit(request, proposedgroup_pk, proposals.remove_unit)


@login_required
def group_accept(request, proposedgroup_pk: int):
    group = _decidable(request, proposedgroup_pk)
    if request.method != "POST":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    form = AcceptForm(request.POST)
    ok, organization = run_service(
        form, lambda data: proposals.accept_group(actor=request.user, group=group, name=data["name"])
    )
    if ok:
        messages.success(
            request,
            _("%(name)s was set up (in preparation); its units are now covered.")
            % {"name": organization.name},
        )
        return _back(group)
    group.refresh_from_db()
    context = _group_context(request, group, accept_form=form)
    return render(request, "coverage/proposal_group.html", context, status=400)


@login_required
def group_decline(request, proposedgroup_pk: int):
    group = _decidable(request, proposedgroup_pk)
    if request.method != "POST":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    form = DeclineForm(request.POST)
    ok, _result = run_service(
        form, lambda data: proposals.decline_group(actor=request.user, group=group, reason=data["reason"])
    )
    if ok:
        messages.success(request, _("The group was declined; it will not be proposed again unchanged."))
        return _back(group)
    context = _group_context(request, group, decline_form=form)
    return render(request, "coverage/proposal_group.html", context, status=400)
