"""The joint-build planner's review workflow (联合建/区域建, measure 4): run the planner for an area,
edit its groups, accept one (the joint branch is created, in preparation, covering the units) or
decline it (remembered, and not proposed again while the facts that made it hold).

Who plans: street/town staff for their own street, the district administrator for any street, a
key area or the whole district. Joint branches are territorial: the street's working committee (or
the town committee) sets them up and answers for them, so the street decides; committee staff,
branch secretaries, liaisons and workers do not plan. A street plans in the request (a street of
2,000 candidate units plans in well under the request time); the whole district (no street)
plans in a background task that reports its progress, street by street, to the cache.

The solver is ``coverage/planner.py``; the rules a group must keep (full members, units, one
street, distance) are checked by its own validation function, so an edited group is held to
exactly the rules the planner planned with.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_of, visible_to
from dangjian.core.audit import record_event, save_tracked
from dangjian.coverage import planner
from dangjian.coverage.models import DeclinedGrouping, JointBuildProposal, ProposedGroup
from dangjian.coverage.queries import CLOSED_STATUSES
from dangjian.organizations.models import Organization
from dangjian.organizations.services import save_organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600
NEARBY_LIMIT = 12
STREET_SECONDS = 20.0  # the cap on planning one street in a web request


# --- who may plan -----------------------------------------------------------------------------


def may_plan(user, street: Region | None) -> bool:
    """The district plans anywhere (and the whole district); street staff their own street."""
    scope = scope_of(user)
    if scope.everything:
        return True
    return street is not None and street.pk in scope.street_ids


def plannable_streets(user):
    """The streets and towns the user may run the planner for."""
    streets = Region.objects.filter(kind__in=Region.TOWNSHIP_KINDS).order_by("path")
    scope = scope_of(user)
    return streets if scope.everything else streets.filter(pk__in=scope.street_ids)


def may_decide(user, proposal: JointBuildProposal) -> bool:
    return may_plan(user, proposal.street)


def _require_decide(user, group: ProposedGroup) -> None:
    if user is not None and not may_decide(user, group.proposal):
        raise PermissionDenied(_("You may not decide on this proposal."))


# --- the planner, as this workflow uses it ----------------------------------------------------


def current_params() -> planner.PlanParams:
    return planner.params_from_rules()


def params_record(params: planner.PlanParams) -> dict:
    """The rule values a run used, as stored on the proposal (JSON: no infinity)."""
    return {
        "min_full_members": params.min_full_members,
        "max_units": params.max_units,
        "max_distance_m": None
        if math.isinf(params.max_distance_km)
        else round(params.max_distance_km * 1000),
    }


def candidates_of(units, params: planner.PlanParams | None = None) -> dict[int, planner.Candidate]:
    """{unit id: the planner's candidate} for the units that can join a joint build now."""
    return {c.id: c for c in planner.load_candidates(units, params=params or current_params())}


def _problem_messages(params: planner.PlanParams) -> dict[str, str]:
    km = params.max_distance_km
    return {
        "too_few_units": _("A joint branch joins at least two units."),
        "too_many_units": _("More than %(n)s units.") % {"n": params.max_units},
        "too_few_members": _("Fewer than %(n)s full members in all.") % {"n": params.min_full_members},
        "several_streets": _("The units lie in more than one street."),
        "too_far": _("Some units are more than %(km)s km apart.") % {"km": f"{km:g}"},
        "declined": _("This set of units was declined before."),
        "duplicate": _("A unit is listed twice."),
    }


def problems_of(members: Sequence[planner.Candidate], params: planner.PlanParams) -> list[str]:
    """What keeps these units from forming a joint branch, by the planner's own rules."""
    messages = _problem_messages(params)
    return [messages.get(code, code) for code in planner.group_problems(members, params)]


def total_distance_m(members: Sequence[planner.Candidate], params: planner.PlanParams | None = None) -> int:
    """Sum of the units' distances to the group's lead unit (its centre), in metres."""
    if not members:
        return 0
    return round(planner.make_group(members, params).total_distance_km * 1000)


def facts_of(members: Iterable[planner.Candidate]) -> dict[str, list]:
    """The facts a grouping was made from: each unit's full members and position."""
    return {
        str(c.id): [c.full_members, round(c.lat, 6), round(c.lng, 6)]
        for c in sorted(members, key=lambda c: c.id)
    }


def units_key(unit_ids: Iterable[int]) -> str:
    return ",".join(str(pk) for pk in sorted(unit_ids))


def standing_declined(
    candidates: dict[int, planner.Candidate], street_ids: Iterable[int]
) -> set[frozenset[int]]:
    """Declined groupings whose facts still hold: the planner must not propose them again.

    A grouping whose units' full members or positions changed since it was declined is left
    out, so the planner may propose it again; one with a unit that is no longer a candidate
    could not be proposed anyway.
    """
    standing = set()
    for declined in DeclinedGrouping.objects.filter(street_id__in=list(street_ids)):
        ids = declined.unit_ids
        if not ids <= candidates.keys():
            continue
        if facts_of(candidates[pk] for pk in ids) == declined.facts:
            standing.add(frozenset(ids))
    return standing


# --- running the planner ----------------------------------------------------------------------


def _progress_key(proposal: JointBuildProposal) -> str:
    return f"joint-build-progress:{proposal.pk}"


def set_progress(proposal: JointBuildProposal, done: int, total: int) -> None:
    cache.set(_progress_key(proposal), (done, total), PROGRESS_TIMEOUT)


def progress_of(proposal: JointBuildProposal) -> tuple[int, int]:
    """(streets planned, streets to plan); (0, 0) before the run has counted them."""
    return cache.get(_progress_key(proposal), (0, 0))


def start_proposal(*, actor, street: Region | None = None, key_area: str = "") -> JointBuildProposal:
    """Run the planner for a street (now) or the whole district (in the background)."""
    if street is not None and not street.is_township:
        raise ValidationError({"street": _("Choose a street or town.")})
    if actor is not None and not may_plan(actor, street):
        raise PermissionDenied(_("You may not run the planner for this area."))
    proposal = JointBuildProposal(
        street=street,
        key_area=key_area,
        parameters=params_record(current_params()),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    save_tracked(proposal, actor=actor)
    if street is not None:
        run_proposal(proposal)
    else:
        from dangjian.coverage.proposal_tasks import plan_joint_builds

        set_progress(proposal, 0, 0)
        transaction.on_commit(lambda: plan_joint_builds.enqueue(proposal.pk))
    return proposal


def area_units(proposal: JointBuildProposal):
    """The units of the proposal's area that its author may see (open units with a street)."""
    units = Unit.objects.filter(street__isnull=False).exclude(operating_status__in=CLOSED_STATUSES)
    if proposal.created_by_id is not None:
        units = visible_to(proposal.created_by, units)
    if proposal.street_id:
        units = units.filter(street_id=proposal.street_id)
    if proposal.key_area:
        units = units.filter(key_area=proposal.key_area)
    return units


def run_proposal(proposal: JointBuildProposal) -> None:
    """Plan street by street (groups never cross a street) and store the groups; a failure marks
    the proposal failed and keeps no half-made groups."""
    JointBuildProposal.objects.filter(pk=proposal.pk).update(status=JointBuildProposal.Status.RUNNING)
    params = current_params()
    # A street is planned while its staff wait for the page (well inside a server's request
    # timeout); the district's run is a background task, each street with the planner's default.
    time_limit_s = STREET_SECONDS if proposal.street_id else None
    units = area_units(proposal)
    street_ids = list(units.order_by("street_id").values_list("street_id", flat=True).distinct())
    set_progress(proposal, 0, len(street_ids))
    candidate_count = 0
    try:
        with transaction.atomic():
            number = 0
            for done, street_id in enumerate(street_ids, start=1):
                candidates = candidates_of(units.filter(street_id=street_id), params)
                candidate_count += len(candidates)
                declined = standing_declined(candidates, [street_id])
                groups = planner.plan(
                    list(candidates.values()), params, declined=declined, time_limit_s=time_limit_s
                )
                number = _store_groups(proposal, street_id, groups, start=number)
                set_progress(proposal, done, len(street_ids))
    except Exception as error:  # noqa: BLE001 - any failure must mark the run, and nothing stays written
        logger.exception("joint-build proposal %s failed", proposal.pk)
        JointBuildProposal.objects.filter(pk=proposal.pk).update(
            status=JointBuildProposal.Status.FAILED,
            error=type(error).__name__[:200],
            finished_at=timezone.now(),
        )
        proposal.refresh_from_db()
        return
    JointBuildProposal.objects.filter(pk=proposal.pk).update(
        status=JointBuildProposal.Status.READY, candidate_count=candidate_count, finished_at=timezone.now()
    )
    proposal.refresh_from_db()


def _store_groups(proposal, street_id: int, groups: Sequence[planner.Group], *, start: int) -> int:
    rows = [
        ProposedGroup(
            proposal=proposal,
            number=start + offset,
            street_id=street_id,
            distance_m=round(group.total_distance_km * 1000),
        )
        for offset, group in enumerate(groups, start=1)
    ]
    created = ProposedGroup.objects.bulk_create(rows, batch_size=2000)
    through = ProposedGroup.units.through
    through.objects.bulk_create(
        [
            through(proposedgroup_id=row.pk, unit_id=pk)
            for row, group in zip(created, groups, strict=True)
            for pk in group.unit_ids
        ],
        batch_size=5000,
    )
    return start + len(rows)


# --- reviewing a group ------------------------------------------------------------------------


def group_state(group: ProposedGroup, *, params=None) -> dict:
    """A group as the rules see it now: its units' candidate facts, what is wrong with it."""
    params = params or current_params()
    unit_ids = list(group.units.values_list("pk", flat=True))
    candidates = candidates_of(Unit.objects.filter(pk__in=unit_ids), params)
    return _state(unit_ids, candidates, group.street_id, params)


def _state(unit_ids, candidates, street_id, params) -> dict:
    members = [candidates[pk] for pk in unit_ids if pk in candidates]
    problems = []
    gone = [pk for pk in unit_ids if pk not in candidates]
    if gone:
        problems.append(
            _("%(n)s unit(s) can no longer join: covered meanwhile, closed, or without a position.")
            % {"n": len(gone)}
        )
    if any(c.street_id != street_id for c in members):
        problems.append(_("All units must lie in the group's street."))
    problems.extend(problems_of(members, params))
    return {
        "members": members,
        "problems": problems,
        "full_members": sum(c.full_members for c in members),
        "distance_m": total_distance_m(members, params),
    }


def groups_states(groups: Sequence[ProposedGroup], *, params=None) -> dict[int, dict]:
    """``group_state`` for a page of groups, with one candidate query for all their units."""
    params = params or current_params()
    through = ProposedGroup.units.through
    links = through.objects.filter(proposedgroup__in=[g.pk for g in groups]).values_list(
        "proposedgroup_id", "unit_id"
    )
    by_group: dict[int, list[int]] = {}
    for group_id, unit_id in links:
        by_group.setdefault(group_id, []).append(unit_id)
    all_ids = [pk for ids in by_group.values() for pk in ids]
    candidates = candidates_of(Unit.objects.filter(pk__in=all_ids), params)
    return {g.pk: _state(sorted(by_group.get(g.pk, [])), candidates, g.street_id, params) for g in groups}


def _taken_elsewhere(group: ProposedGroup) -> set[int]:
    """Units in this proposal's other groups still open or accepted."""
    return set(
        ProposedGroup.units.through.objects.filter(proposedgroup__proposal_id=group.proposal_id)
        .exclude(proposedgroup_id=group.pk)
        .exclude(proposedgroup__status=ProposedGroup.Status.DECLINED)
        .values_list("unit_id", flat=True)
    )


def nearby_candidates(user, group: ProposedGroup, *, params=None, limit: int = NEARBY_LIMIT) -> list[dict]:
    """Candidates of the group's street the user may see, not in another group of the proposal,
    nearest the group's centre (its lead unit) first, each with what adding it would leave wrong."""
    params = params or current_params()
    in_group = set(group.units.values_list("pk", flat=True))
    street_units = visible_to(user, Unit.objects.filter(street_id=group.street_id))
    candidates = candidates_of(street_units, params)
    members = [candidates[pk] for pk in sorted(in_group) if pk in candidates]
    if not members:
        return []
    taken = _taken_elsewhere(group) | in_group
    lat, lng = planner.make_group(members, params).centre
    reach = 2 * params.max_distance_km  # farther than this from the centre, no unit can fit
    result = []
    for distance, candidate in sorted(
        (planner.distance_km(lat, lng, c.lat, c.lng), c) for pk, c in candidates.items() if pk not in taken
    ):
        if distance > reach or len(result) >= limit:
            break
        result.append(
            {
                "candidate": candidate,
                "distance_m": round(distance * 1000),
                "problems": problems_of([*members, candidate], params),
            }
        )
    names = dict(Unit.objects.filter(pk__in=[r["candidate"].id for r in result]).values_list("pk", "name"))
    for row in result:
        row["name"] = names.get(row["candidate"].id, "")
    return result


def _require_open(group: ProposedGroup) -> None:
    if group.status != ProposedGroup.Status.PROPOSED:
        raise ValidationError(_("This group has already been decided."))


def _lock(group: ProposedGroup) -> ProposedGroup:
    return (
        ProposedGroup.objects.select_for_update(of=("self",))
        .select_related("proposal", "street")
        .get(pk=group.pk)
    )


def _record_units_change(actor, group: ProposedGroup, before: list[str], after: list[str]) -> None:
    record_event(
        actor=actor, action="updated", obj=group, changes={"units": ["、".join(before), "、".join(after)]}
    )


def _unit_names(group: ProposedGroup) -> list[str]:
    return list(group.units.order_by("name").values_list("name", flat=True))


def remove_unit(*, actor, group: ProposedGroup, unit: Unit) -> dict:
    """Take a unit out of a proposed group; returns the group's state under the rules now (an edit
    may leave it invalid: it cannot be accepted until it is valid again)."""
    _require_decide(actor, group)
    with transaction.atomic():
        group = _lock(group)
        _require_open(group)
        if not group.units.filter(pk=unit.pk).exists():
            raise ValidationError(_("The unit is not in this group."))
        if group.units.count() <= 1:
            raise ValidationError(_("A group keeps at least one unit: decline it instead."))
        before = _unit_names(group)
        group.units.remove(unit)
        return _after_edit(actor, group, before)


def add_unit(*, actor, group: ProposedGroup, unit: Unit) -> dict:
    """Add a nearby candidate to a proposed group (same street, not covered, not in another group
    of the proposal, visible to the actor); the rules are checked again as for ``remove_unit``."""
    _require_decide(actor, group)
    with transaction.atomic():
        group = _lock(group)
        _require_open(group)
        if actor is not None and not visible_to(actor, Unit.objects.filter(pk=unit.pk)).exists():
            raise ValidationError(_("Choose a unit you are responsible for."))
        if unit.street_id != group.street_id:
            raise ValidationError(_("All units must lie in the group's street."))
        if group.units.filter(pk=unit.pk).exists() or unit.pk in _taken_elsewhere(group):
            raise ValidationError(_("The unit is already in a group of this proposal."))
        if unit.pk not in candidates_of(Unit.objects.filter(pk=unit.pk), current_params()):
            raise ValidationError(
                _("The unit cannot join a joint build: it is covered, can build its own, or has no position.")
            )
        before = _unit_names(group)
        group.units.add(unit)
        return _after_edit(actor, group, before)


def _after_edit(actor, group: ProposedGroup, before: list[str]) -> dict:
    state = group_state(group)
    group.distance_m = state["distance_m"]
    group.edited = True
    group.save(update_fields=["distance_m", "edited"])
    _record_units_change(actor, group, before, _unit_names(group))
    return state


# --- deciding ---------------------------------------------------------------------------------


def working_committee(street: Region) -> Organization | None:
    """The street's working committee (or the town committee) that new joint branches join."""
    return (
        Organization.objects.filter(
            kind__in=[Organization.Kind.STREET_COMMITTEE, Organization.Kind.TOWN_COMMITTEE], street=street
        )
        .exclude(status=Organization.Status.DISSOLVED)
        .order_by("pk")
        .first()
    )


def suggested_name(group: ProposedGroup) -> str:
    """A name as such branches are usually called: the place (the community the units share, else
    the street), the key area or industry they share, then 联合党支部; numbered when taken."""
    units = list(group.units.select_related("community"))
    communities = {u.community_id for u in units}
    place = (
        units[0].community.name
        if len(communities) == 1 and units and units[0].community_id
        else group.street.name
    )
    with translation.override("zh-hans"):
        key_areas = {u.key_area for u in units}
        industries = {u.industry for u in units}
        middle = ""
        if len(key_areas) == 1 and "" not in key_areas:
            middle = str(Unit.KeyArea(key_areas.pop()).label)
        elif len(industries) == 1:
            middle = str(units[0].get_industry_display())
        base = f"{place}{middle}联合党支部"
    name, n = base, 1
    while Organization.objects.filter(name=name).exists():
        n += 1
        name = f"{base}（{n}）"
    return name


def accept_group(*, actor, group: ProposedGroup, name: str = "") -> Organization:
    """Create the joint branch (in preparation, under the street's working committee) covering
    the group's units: the units count as organizationally covered from now on."""
    _require_decide(actor, group)
    with transaction.atomic():
        group = _lock(group)
        _require_open(group)
        # The units too, in key order: two groups sharing a unit (from two runs) cannot both be
        # accepted at the same moment; the second sees the unit covered and is refused.
        units = Unit.objects.select_for_update(of=("self",)).filter(proposed_groups=group).order_by("pk")
        list(units.values_list("pk"))
        state = group_state(group)
        if state["problems"]:
            raise ValidationError(state["problems"])
        parent = working_committee(group.street)
        if parent is None:
            raise ValidationError(
                _("%(street)s has no working committee on record to set up the branch under.")
                % {"street": group.street}
            )
        name = (name or "").strip() or suggested_name(group)
        organization = Organization(
            name=name,
            kind=Organization.Kind.BRANCH,
            build_method=Organization.BuildMethod.JOINT,
            status=Organization.Status.PREPARING,
            parent=parent,
            street=group.street,
        )
        save_organization(actor=actor, organization=organization)
        units = list(group.units.order_by("name"))
        organization.covered_units.set(units)
        record_event(
            actor=actor,
            action="updated",
            obj=organization,
            changes={"covered_units": ["", "、".join(u.name for u in units)]},
        )
        group.status = ProposedGroup.Status.ACCEPTED
        group.organization = organization
        group.decided_by = actor if actor is not None and actor.is_authenticated else None
        group.decided_at = timezone.now()
        save_tracked(group, actor=actor)
    return organization


def decline_group(*, actor, group: ProposedGroup, reason: str = "") -> DeclinedGrouping:
    """Decline a group; the set of units is remembered with its facts, so the planner does not
    propose it again unchanged."""
    _require_decide(actor, group)
    with transaction.atomic():
        group = _lock(group)
        _require_open(group)
        unit_ids = list(group.units.values_list("pk", flat=True))
        candidates = candidates_of(Unit.objects.filter(pk__in=unit_ids))
        key = units_key(unit_ids)
        declined = DeclinedGrouping.objects.filter(units_key=key).first() or DeclinedGrouping(units_key=key)
        declined.street = group.street
        declined.facts = facts_of(candidates[pk] for pk in unit_ids if pk in candidates)
        declined.reason = reason.strip()
        declined.group = group
        declined.declined_by = actor if actor is not None and actor.is_authenticated else None
        save_tracked(declined, actor=actor)
        group.status = ProposedGroup.Status.DECLINED
        group.decided_by = declined.declined_by
        group.decided_at = timezone.now()
        save_tracked(group, actor=actor)
    return declined
