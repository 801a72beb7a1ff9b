"""Return visits (定期回访): the schedule rules and who may record a visit.

The numbers come from the rule table (core/rules.py): a default interval per kind of unit, which a
unit may override with its own ``visit_interval_days``. A rule the district switched off takes
that kind of unit off the schedule (no due date, no reminders) unless the unit has its own
interval.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from dangjian.accounts.scope import scope_of
from dangjian.units.models import Unit

INTERVAL_RULES = {
    Unit.Kind.HEAD_COMPANY: "visit-interval-days-head-company",
    Unit.Kind.BRANCH: "visit-interval-days-branch",
    Unit.Kind.CHAIN_STORE: "visit-interval-days-chain-store",
    Unit.Kind.FRANCHISE_STORE: "visit-interval-days-franchise-store",
    Unit.Kind.OUTLET: "visit-interval-days-outlet",
}
REMINDER_RULE = "visit-reminder-days-ahead"

# Closed and deregistered units are not visited any more; suspended ones still are.
NOT_VISITED_STATUSES = (Unit.OperatingStatus.CLOSED, Unit.OperatingStatus.DEREGISTERED)


def default_intervals() -> dict[str, int | None]:
    """{unit kind: the district's interval in days, or None when switched off}, in one query."""
    from dangjian.core.models import Rule

    rules = {r.key: r for r in Rule.objects.filter(key__in=INTERVAL_RULES.values())}
    missing = set(INTERVAL_RULES.values()) - rules.keys()
    if missing:
        raise ImproperlyConfigured(
            f"Rules {sorted(missing)} are missing from the rule table; run migrations."
        )
    return {kind: rules[key].value if rules[key].enabled else None for kind, key in INTERVAL_RULES.items()}


def reminder_days_ahead() -> int:
    from dangjian.core.rules import rule_value

    # Switched off: remind only once a visit is due, not before.
    return rule_value(REMINDER_RULE) or 0


def interval_for(unit: Unit, defaults: dict[str, int | None]) -> int | None:
    """The unit's own interval if it has one, else the district's default for its kind."""
    if unit.visit_interval_days is not None:
        return unit.visit_interval_days
    return defaults.get(unit.kind)


def next_due(last_visit: datetime.date | None, interval: int | None, today: datetime.date):
    """When the next visit is due: never visited means due now; no interval means no schedule."""
    if interval is None:
        return None
    if last_visit is None:
        return today
    return last_visit + datetime.timedelta(days=interval)


def days_overdue(due: datetime.date | None, today: datetime.date) -> int:
    """Days past the due date (0 when due today, not yet due or unscheduled)."""
    if due is None:
        return 0
    return max((today - due).days, 0)


@dataclass(frozen=True)
class Schedule:
    last_visit: datetime.date | None
    interval: int | None  # days
    uses_default: bool  # the interval is the district's default for the unit's kind
    next_due: datetime.date | None
    is_due: bool  # due today or earlier (a unit never visited is due now)
    days_overdue: int
    due_soon: bool  # due within the reminder period, not yet due


def schedule_for(
    unit: Unit, last_visit: datetime.date | None, *, defaults, days_ahead: int, today: datetime.date
) -> Schedule:
    interval = interval_for(unit, defaults)
    due = None if unit.operating_status in NOT_VISITED_STATUSES else next_due(last_visit, interval, today)
    return Schedule(
        last_visit=last_visit,
        interval=interval,
        uses_default=unit.visit_interval_days is None,
        next_due=due,
        is_due=due is not None and due <= today,
        days_overdue=days_overdue(due, today),
        due_soon=due is not None and today < due <= today + datetime.timedelta(days=days_ahead),
    )


def may_record_visits(user, unit: Unit) -> bool:
    """Who may record visits to a unit: the district, the staff of its street, and the staff of
    the industry committee leading its industry. Secretaries, liaisons and workers see units but
    do not visit them on the district's behalf."""
    scope = scope_of(user)
    if scope.everything:
        return True
    return unit.street_id in scope.street_ids or unit.industry in scope.industries
