"""Writes of the secretaries-and-leadership part (measure 5): management posts held in units
(for "two-way entry, cross appointment") and the decision log of the party organization's part in
a unit's major matters. Each write is checked, validated and audited.

Who may write:
- the decision log: the party bodies answering for the unit: the district, the staff of its
  street, the staff of the industry committee leading its industry, and the committee staff and
  secretaries of an organization (or its parent bodies) covering it;
- management posts: the same, and the enterprise's liaison for its own unit (and branches and
  outlets), who knows its managers best.
Services called by the system (demo data, imports after their own check) pass no actor.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_of
from dangjian.core.audit import save_tracked
from dangjian.organizations.models import MajorDecision, ManagementPost, Organization
from dangjian.people.models import Person
from dangjian.people.services import find_or_create_person
from dangjian.units.models import Unit


def _covering(unit: Unit):
    """The organizations covering the unit that have not been dissolved."""
    return Organization.objects.filter(covered_units=unit).exclude(status=Organization.Status.DISSOLVED)


def may_record_decisions(user, unit: Unit) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    if unit.street_id is not None and unit.street_id in scope.street_ids:
        return True
    if unit.industry in scope.industries:
        return True
    if scope.organization_paths:
        return any(
            path.startswith(prefix)
            for path in _covering(unit).values_list("path", flat=True)
            for prefix in scope.organization_paths
        )
    return False


def may_edit_management_posts(user, unit: Unit) -> bool:
    if may_record_decisions(user, unit):
        return True
    return any(unit.path.startswith(path) for path in scope_of(user).unit_paths)


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _user_or_none(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- management posts ---------------------------------------------------------------------------


def appoint_management_post(
    *,
    actor,
    unit: Unit,
    kind: str,
    start_date: datetime.date,
    title: str = "",
    person: Person | None = None,
    id_number: str = "",
    name: str = "",
) -> ManagementPost:
    """Record that a person holds a management post in ``unit`` from ``start_date``: ``person``
    on record, or the one found by ``id_number`` (created with ``name`` if there is none)."""
    if actor is not None:
        _check(may_edit_management_posts(actor, unit), _("You may not record management posts of this unit."))
    _not_future(start_date, "start_date")
    with transaction.atomic():
        if person is None:
            person = find_or_create_person(actor=actor, id_number=id_number, name=name)
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer per person at a time
        if ManagementPost.objects.filter(person=person, unit=unit, kind=kind, end_date__isnull=True).exists():
            raise ValidationError(_("%(name)s already holds this post in this unit.") % {"name": person.name})
        post = ManagementPost(
            person=person, unit=unit, kind=kind, title=(title or "").strip(), start_date=start_date
        )
        save_tracked(post, actor=actor)
    return post


def end_management_post(*, actor, post: ManagementPost, end_date: datetime.date) -> ManagementPost:
    """Record the last day in the post."""
    if actor is not None:
        _check(
            may_edit_management_posts(actor, post.unit),
            _("You may not record management posts of this unit."),
        )
    if post.end_date is not None:
        raise ValidationError(_("This post has already ended."))
    if end_date < post.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    _not_future(end_date, "end_date")
    post.end_date = end_date
    save_tracked(post, actor=actor)
    return post


# --- the decision log ----------------------------------------------------------------------------


def _check_decision(decision: MajorDecision) -> None:
    if not _covering(decision.unit).filter(pk=decision.organization_id).exists():
        raise ValidationError(
            {"organization": _("The organization giving its opinion must be one that covers the unit.")}
        )
    _not_future(decision.decided_on, "decided_on")
    if not decision.matter.strip():
        raise ValidationError({"matter": _("Describe the matter decided.")})
    if not decision.opinion.strip():
        raise ValidationError({"opinion": _("Record the organization's opinion.")})


def record_decision(
    *,
    actor,
    unit: Unit,
    organization: Organization,
    decided_on: datetime.date,
    matter: str,
    opinion: str,
    outcome: str = MajorDecision.Outcome.PENDING,
    outcome_note: str = "",
) -> MajorDecision:
    """Enter a major matter of the unit with the covering organization's opinion and the outcome."""
    if actor is not None:
        _check(may_record_decisions(actor, unit), _("You may not record decisions of this unit."))
    decision = MajorDecision(
        unit=unit,
        organization=organization,
        decided_on=decided_on,
        matter=matter.strip(),
        opinion=opinion.strip(),
        outcome=outcome,
        outcome_note=outcome_note.strip(),
        recorded_by=_user_or_none(actor),
    )
    _check_decision(decision)
    save_tracked(decision, actor=actor)
    return decision


def amend_decision(*, actor, decision: MajorDecision, **fields) -> MajorDecision:
    """Correct an entry or record its outcome once known; the timeline keeps what it said before."""
    allowed = {"organization", "decided_on", "matter", "opinion", "outcome", "outcome_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not decision fields: {sorted(unknown)}")
    if actor is not None:
        _check(may_record_decisions(actor, decision.unit), _("You may not record decisions of this unit."))
    for name, value in fields.items():
        setattr(decision, name, value.strip() if isinstance(value, str) and name != "outcome" else value)
    _check_decision(decision)
    save_tracked(decision, actor=actor)
    return decision
