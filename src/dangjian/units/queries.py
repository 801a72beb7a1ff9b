import datetime

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.core.filtering import filter_given
from dangjian.units.models import Unit, Visit, VisitAction
from dangjian.units.visits import (
    NOT_VISITED_STATUSES,
    Schedule,
    default_intervals,
    reminder_days_ahead,
    schedule_for,
)


def visible_units(user):
    return visible_to(user, Unit.objects.all())


def unit_list(user, *, text="", street_id=None, industry="", key_area="", kind=""):
    units = visible_units(user).select_related("street", "community", "parent")
    if text:
        units = units.filter(Q(name__icontains=text) | Q(uscc__iexact=text) | Q(address__icontains=text))
    return filter_given(units, street_id=street_id, industry=industry, key_area=key_area, kind=kind)


def units_without_street(user):
    """The fallback rule's gaps: units no street or town answers for."""
    return visible_units(user).filter(street__isnull=True).select_related("parent")


def unit_detail(user, pk: int) -> Unit:
    return get_object_or_404(
        visible_units(user).select_related("street", "community", "industry_authority", "parent"), pk=pk
    )


def branches_of(user, unit: Unit):
    return visible_units(user).filter(parent=unit).select_related("street")


def unit_counts_by_street(user):
    """Visible units per street/town, and how many of them are outlets."""
    return (
        visible_units(user)
        .values("street_id", "street__name")
        .annotate(units=Count("id"), outlets=Count("id", filter=Q(kind=Unit.Kind.OUTLET)))
        .order_by("street__path")
    )


# --- return visits (定期回访) ---------------------------------------------------------------


class AddDays(Func):
    """``date + n days`` as a date. Django has no portable form of this: SQLite needs its date()
    modifiers, PostgreSQL adds an integer to a date directly."""

    output_field = DateField()
    arity = 2

    def __init__(self, date, days, **extra):
        super().__init__(date, Cast(days, IntegerField()), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)


def with_visit_schedule(units, *, today: datetime.date):
    """Units annotated with ``last_visit``, ``visit_interval`` (days) and ``next_due``, in SQL.

    Mirrors ``visits.schedule_for``: the unit's own interval, else the rule for its kind; never
    visited means due today; no interval (rule switched off) means no due date. Closed and
    deregistered units are left out.
    """
    by_kind = [
        When(kind=kind, then=Value(days)) for kind, days in default_intervals().items() if days is not None
    ]
    latest = (
        Visit.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(latest=Max("visited_on"))
        .values("latest")
    )
    return (
        units.exclude(operating_status__in=NOT_VISITED_STATUSES)
        .annotate(
            last_visit=Subquery(latest, output_field=DateField()),
            visit_interval=Coalesce(
                "visit_interval_days", Case(*by_kind, default=None, output_field=IntegerField())
            ),
        )
        .annotate(
            next_due=Case(
                When(visit_interval__isnull=True, then=None),
                When(last_visit__isnull=True, then=Value(today)),
                default=AddDays(F("last_visit"), F("visit_interval")),
                output_field=DateField(),
            )
        )
    )


def visit_schedule(user, unit: Unit, *, today: datetime.date | None = None) -> Schedule:
    """One unit's schedule: last visit, interval, next due date, days overdue."""
    today = today or timezone.localdate()
    last = visible_to(user, Visit.objects.filter(unit=unit)).aggregate(last=Max("visited_on"))["last"]
    return schedule_for(
        unit, last, defaults=default_intervals(), days_ahead=reminder_days_ahead(), today=today
    )


def unit_visits(user, unit: Unit):
    """The unit's visits, newest first, each with its follow-up actions."""
    actions = VisitAction.objects.select_related("closed_by").order_by("id")
    return (
        visible_to(user, Visit.objects.filter(unit=unit))
        .select_related("recorded_by")
        .prefetch_related(Prefetch("actions", queryset=actions))
    )


def visit_action_detail(user, pk: int) -> VisitAction:
    return get_object_or_404(visible_to(user, VisitAction.objects.select_related("visit__unit")), pk=pk)


def _scheduled_units(user, *, street_id=None, industry="", today):
    units = visible_units(user).select_related("street")
    if street_id:
        units = units.filter(street_id=street_id)
    if industry:
        units = units.filter(industry=industry)
    return with_visit_schedule(units, today=today)


def overdue_visits(user, *, street_id=None, industry="", today: datetime.date | None = None):
    """Units whose return visit is due today or earlier (never visited counts), longest overdue first."""
    today = today or timezone.localdate()
    units = _scheduled_units(user, street_id=street_id, industry=industry, today=today)
    return units.filter(next_due__lte=today).order_by("next_due", "path")


def visits_due_soon(user, *, street_id=None, industry="", today: datetime.date | None = None):
    """Units whose return visit falls due within the reminder period (rule table), soonest first."""
    today = today or timezone.localdate()
    ahead = today + datetime.timedelta(days=reminder_days_ahead())
    units = _scheduled_units(user, street_id=street_id, industry=industry, today=today)
    return units.filter(next_due__gt=today, next_due__lte=ahead).order_by("next_due", "path")
