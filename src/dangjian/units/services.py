"""Writes to the unit registry; each one validated and audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.audit import save_tracked
from dangjian.core.choices import JobType
from dangjian.units.ledger import OPERATIONS_FIELDS, Part, may_edit_ledger
from dangjian.units.models import InstructorAssignment, Unit, Visit, VisitAction, WorkforceReport
from dangjian.units.visits import may_record_visits


def save_unit(*, actor, unit: Unit) -> Unit:
    """Create or update a unit. A unit under a head company inherits its industry if none is given."""
    if unit.parent_id and not unit.industry:
        unit.industry = unit.parent.industry
    if unit.community_id and not unit.street_id:
        # The community determines the street: enter each fact once.
        unit.street_id = unit.community.parent_id
    stamp_operations(unit, actor=actor)
    if _user_or_none(actor) is not None:
        unit._history_user = actor
    save_tracked(unit, actor=actor)
    return unit


# --- return visits (定期回访) ---------------------------------------------------------------


def _require_visit_rights(actor, unit: Unit) -> None:
    if not may_record_visits(actor, unit):
        raise PermissionDenied(_("You may not record return visits to this unit."))


def record_visit(
    *,
    actor,
    unit: Unit,
    visited_on: datetime.date,
    visitors: str,
    findings: str = "",
    problems: str = "",
    actions=(),
) -> Visit:
    """Record a return visit and the follow-up actions agreed at it, all or nothing.

    ``actions``: mappings with ``description`` and an optional ``due_on``.
    """
    _require_visit_rights(actor, unit)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    if any(item.get("due_on") and item["due_on"] < visited_on for item in actions):
        raise ValidationError({"due_on": _("A follow-up action cannot be due before the visit.")})
    with transaction.atomic():
        visit = Visit(
            unit=unit,
            visited_on=visited_on,
            visitors=visitors,
            findings=findings,
            problems=problems,
            recorded_by=actor,
        )
        save_tracked(visit, actor=actor)
        for item in actions:
            action = VisitAction(visit=visit, description=item["description"], due_on=item.get("due_on"))
            save_tracked(action, actor=actor)
    return visit


def close_visit_action(
    *, actor, action: VisitAction, closed_on: datetime.date, closure_note: str
) -> VisitAction:
    """Record how and when a follow-up action was closed."""
    _require_visit_rights(actor, action.visit.unit)
    if action.closed_on is not None:
        raise ValidationError(_("This action is already closed."))
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
    if closed_on < action.visit.visited_on:
        raise ValidationError({"closed_on": _("An action cannot be closed before the visit it came from.")})
    if not closure_note.strip():
        raise ValidationError({"closure_note": _("Say how the action was closed.")})
    action.closed_on = closed_on
    action.closure_note = closure_note.strip()
    action.closed_by = actor
    save_tracked(action, actor=actor)
    return action


def set_visit_interval(*, actor, unit: Unit, days: int | None) -> Unit:
    """Give the unit its own return-visit interval; None goes back to the default for its kind."""
    _require_visit_rights(actor, unit)
    if days is not None and days < 1:
        raise ValidationError({"visit_interval_days": _("The interval must be at least one day.")})
    unit.visit_interval_days = days
    save_tracked(unit, actor=actor)
    return unit


# --- the five-clears ledger (五个清台账) -------------------------------------------------------


def _user_or_none(actor):
    return actor if actor is not None and actor.is_authenticated else None


def require_ledger_rights(actor, unit: Unit, part: str) -> None:
    """Services called by the system (imports, demo data) pass no actor; people must have the right."""
    if actor is not None and not may_edit_ledger(actor, unit, part):
        raise PermissionDenied(_("You may not change this part of the unit's ledger."))


def stamp_operations(unit: Unit, *, actor) -> bool:
    """Set the operations part's "last updated / by whom" when one of its fields differs from
    the stored row, or the unit is new. ``save_unit``, ``update_operations`` and the admin use it,
    so the stamp follows every change and only a real change."""
    stored = None
    if unit.pk is not None:
        stored = Unit.objects.filter(pk=unit.pk).values(*OPERATIONS_FIELDS).first()
    if stored is not None and all(stored[name] == getattr(unit, name) for name in OPERATIONS_FIELDS):
        return False
    unit.operations_updated_at = timezone.now()
    unit.operations_updated_by = _user_or_none(actor)
    return True


def update_operations(*, actor, unit: Unit, **fields) -> Unit:
    """Change part 1 of the ledger: operating status, business scope, reported outlets, platforms."""
    unknown = set(fields) - set(OPERATIONS_FIELDS)
    if unknown:
        raise TypeError(f"not operations fields: {sorted(unknown)}")
    require_ledger_rights(actor, unit, Part.OPERATIONS)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()  # lock, then read the row afresh
        unit.refresh_from_db()
        for name, value in fields.items():
            setattr(unit, name, value)
        if stamp_operations(unit, actor=actor):
            unit._history_user = _user_or_none(actor)
            save_tracked(unit, actor=actor)
    return unit


def report_workforce(
    *, actor, unit: Unit, reported_on: datetime.date, figures: dict[str, tuple[int, int]]
) -> list[WorkforceReport]:
    """Record the headcount the unit reports, per job type: {job type: (full time, part time)}.

    Reports are appended, never changed: the latest per job type is shown beside the figures
    derived from registrations, and older ones stay as the ledger's history."""
    require_ledger_rights(actor, unit, Part.WORKFORCE)
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The report date cannot be later than today.")})
    if not figures:
        raise ValidationError(_("Enter at least one figure."))
    unknown = set(figures) - set(JobType.values)
    if unknown:
        raise ValidationError(
            _("Unknown job type: %(job_types)s") % {"job_types": ", ".join(sorted(unknown))}
        )
    reports = []
    with transaction.atomic():
        for job_type, (full_time, part_time) in figures.items():
            report = WorkforceReport(
                unit=unit,
                job_type=job_type,
                full_time=full_time,
                part_time=part_time,
                reported_on=reported_on,
                recorded_by=_user_or_none(actor),
            )
            save_tracked(report, actor=actor)
            reports.append(report)
    return reports


def assign_instructor(
    *,
    actor,
    unit: Unit,
    instructor,
    start_date: datetime.date,
    dispatched_by=None,
) -> InstructorAssignment:
    """Dispatch a party-building instructor (a Person) to the unit."""
    require_ledger_rights(actor, unit, Part.ORGANIZATION)
    with transaction.atomic():
        running = InstructorAssignment.objects.filter(unit=unit, instructor=instructor, end_date__isnull=True)
        if running.exists():
            raise ValidationError(_("This instructor is already assigned to the unit."))
        assignment = InstructorAssignment(
            unit=unit, instructor=instructor, dispatched_by=dispatched_by, start_date=start_date
        )
        assignment._history_user = _user_or_none(actor)
        save_tracked(assignment, actor=actor)
    return assignment


def end_instructor_assignment(
    *, actor, assignment: InstructorAssignment, end_date: datetime.date
) -> InstructorAssignment:
    """End an instructor's assignment: the end date is the first day without the instructor."""
    require_ledger_rights(actor, assignment.unit, Part.ORGANIZATION)
    if assignment.end_date is not None:
        raise ValidationError(_("This assignment has already ended."))
    if end_date < assignment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    assignment.end_date = end_date
    assignment._history_user = _user_or_none(actor)
    save_tracked(assignment, actor=actor)
    return assignment
