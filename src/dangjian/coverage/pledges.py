"""One-to-one help (一对一帮扶, measure 4): who may record pledges, and the writes.

Every committee member (班子成员) of the party committees and working committees pledges to help
build at least one party organization in the new business forms: a pledge names the member, the
target (a unit, or a street/community, optionally a key area in it), and the date; dated progress
notes follow; the result is the organization built. Each write is validated and audited.

Who records pledges: the party-work roles (district administrator, street/town staff, committee
staff, branch secretaries of a party committee), for the committee members they can see. Enterprise
liaisons and workers see the pledges on their unit's page but do not record them.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can_see, sees_party_member_names
from dangjian.core.audit import record_event, save_tracked
from dangjian.coverage.models import Pledge, PledgeProgress
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit


def may_manage_pledges(user) -> bool:
    """Party-work roles record pledges; liaisons and workers only read them."""
    return sees_party_member_names(user)


def may_pledge_for(user, member: CommitteeMember) -> bool:
    return (
        may_manage_pledges(user)
        and member.organization.kind in Pledge.COMMITTEE_KINDS
        and can_see(user, member)
    )


def may_edit_pledge(user, pledge: Pledge) -> bool:
    return may_manage_pledges(user) and can_see(user, pledge) and can_see(user, pledge.committee_member)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record pledges for this committee member."))


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_target(actor, target_unit: Unit | None, target_region: Region | None) -> None:
    if target_unit is not None and actor is not None and not can_see(actor, target_unit):
        raise ValidationError({"target_unit": _("Choose a unit you are responsible for.")})
    if target_unit is None and target_region is None:
        raise ValidationError(
            {"target_unit": _("Name the unit, or the street or community, the pledge is for.")}
        )


def record_pledge(*, actor, committee_member: CommitteeMember, pledged_on: datetime.date, **target) -> Pledge:
    """A committee member's pledge to help build an organization in a unit or an area.
    ``target``: target_unit, or target_region with target_key_area and target_description (see
    _save_date_and_target)."""
    if actor is not None:
        _require(may_pledge_for(actor, committee_member))
    pledge = Pledge(
        committee_member=committee_member,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return _save_date_and_target(actor, pledge, pledged_on=pledged_on, **target)


def update_pledge(*, actor, pledge: Pledge, pledged_on: datetime.date, **target) -> Pledge:
    """Correct a pledge's target or date (the member stays: a new member pledges anew).
    ``target``: as for record_pledge."""
    if actor is not None:
        _require(may_edit_pledge(actor, pledge))
    return _save_date_and_target(actor, pledge, pledged_on=pledged_on, **target)


def _save_date_and_target(
    actor,
    pledge: Pledge,
    *,
    pledged_on: datetime.date,
    target_unit: Unit | None = None,
    target_region: Region | None = None,
    target_key_area: str = "",
    target_description: str = "",
) -> Pledge:
    _not_future(pledged_on, "pledged_on")
    _check_target(actor, target_unit, target_region)
    pledge.pledged_on = pledged_on
    pledge.target_unit = target_unit
    # A unit is its own target: the area fields are for pledges to an area.
    pledge.target_region = None if target_unit else target_region
    pledge.target_key_area = "" if target_unit else target_key_area
    pledge.target_description = "" if target_unit else target_description.strip()
    save_tracked(pledge, actor=actor)
    return pledge


def add_progress(*, actor, pledge: Pledge, noted_on: datetime.date, note: str) -> PledgeProgress:
    """A dated note on how the pledge is going."""
    if actor is not None:
        _require(may_edit_pledge(actor, pledge))
    _not_future(noted_on, "noted_on")
    if noted_on < pledge.pledged_on:
        raise ValidationError({"noted_on": _("Progress cannot be noted before the pledge was made.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    progress = PledgeProgress(
        pledge=pledge,
        noted_on=noted_on,
        note=note.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    with transaction.atomic():
        save_tracked(progress, actor=actor)
        # The pledge's own timeline says so too: it is where the progress is read.
        record_event(
            actor=actor,
            action="updated",
            obj=pledge,
            changes={"progress": ["", f"{noted_on:%Y-%m-%d} {progress.note[:80]}"]},
        )
    return progress


def result_choices(pledge: Pledge):
    """Organizations that can be a pledge's result: primary organizations (not the leading
    bodies), active or being prepared, covering the target unit or in the target area's street."""
    organizations = Organization.objects.exclude(kind__in=Organization.LEADING_KINDS).exclude(
        status=Organization.Status.DISSOLVED
    )
    if pledge.target_unit_id:
        return organizations.filter(covered_units=pledge.target_unit_id)
    region = pledge.target_region
    street_id = region.parent_id if region.kind == Region.Kind.COMMUNITY else region.pk
    return organizations.filter(street_id=street_id)


def record_result(*, actor, pledge: Pledge, organization: Organization, result_on: datetime.date) -> Pledge:
    """The pledge is kept: the organization built (a unit target: one covering the unit)."""
    if actor is not None:
        _require(may_edit_pledge(actor, pledge))
        if not can_see(actor, organization):
            raise ValidationError({"result_organization": _("Choose an organization you can see.")})
    if pledge.status == Pledge.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn pledge has no result."))
    if not result_choices(pledge).filter(pk=organization.pk).exists():
        raise ValidationError(
            {
                "result_organization": _(
                    "The organization must be a primary organization covering the target unit, "
                    "or in the target street."
                )
            }
        )
    _not_future(result_on, "result_on")
    pledge.result_organization = organization
    pledge.result_on = result_on
    pledge.status = Pledge.Status.BUILT
    save_tracked(pledge, actor=actor)
    return pledge


def withdraw_pledge(*, actor, pledge: Pledge, reason: str) -> Pledge:
    """Take a pledge back (the member moved on, the unit closed); the member then counts as
    without a pledge until a new one is made."""
    if actor is not None:
        _require(may_edit_pledge(actor, pledge))
    if pledge.status != Pledge.Status.IN_PROGRESS:
        raise ValidationError(_("Only a pledge in progress can be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the pledge is withdrawn.")})
    with transaction.atomic():
        pledge.status = Pledge.Status.WITHDRAWN
        save_tracked(pledge, actor=actor)
        save_tracked(
            PledgeProgress(
                pledge=pledge,
                noted_on=timezone.localdate(),
                note=_("Withdrawn: %(reason)s") % {"reason": reason.strip()},
                recorded_by=actor if actor is not None and actor.is_authenticated else None,
            ),
            actor=actor,
        )
    return pledge
