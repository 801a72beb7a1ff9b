"""Background jobs for the unit registry: return-visit reminders (定期回访).

Run daily (``manage.py send_reminders``, see docs/OPERATIONS.md). Each reminder carries a key that
is unique per recipient, so running the job twice, or on two days in a row, sends nothing twice.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import Notification
from dangjian.core.reminders import Texts, district_admins, save_notifications
from dangjian.units.models import Unit
from dangjian.units.queries import with_visit_schedule
from dangjian.units.visits import reminder_days_ahead

_BATCH = 2000


@task()
def send_visit_reminders() -> dict:
    return remind_about_visits(timezone.localdate())


def remind_about_visits(today: datetime.date) -> dict:
    """Leave inbox reminders about return visits due, overdue or due soon.

    Street staff get one message per unit of their street, once per due date (the key holds the
    due date, not today's, so an overdue unit is not announced again every morning; a new visit
    or a changed interval makes a new due date and a new reminder). District administrators get
    one summary a day instead of a message per unit of the whole district.
    """
    ahead = today + datetime.timedelta(days=reminder_days_ahead())
    # The job acts for the district as a whole: who hears about which unit follows the
    # territorial responsibility below, not a viewer's scope.
    units = with_visit_schedule(Unit.objects.all(), today=today).filter(next_due__lte=ahead)
    staff_by_street = _street_staff()
    texts = Texts(_texts)

    created = 0
    pending = []
    for unit in units.filter(street__in=list(staff_by_street)).values(
        "pk", "name", "street_id", "last_visit", "next_due"
    ):
        for user_id, language in staff_by_street[unit["street_id"]]:
            pending.append(_unit_reminder(unit, user_id, texts.get(language), today))
        if len(pending) >= _BATCH:
            created += save_notifications(pending)
            pending = []
    created += save_notifications(pending)

    counts = units.aggregate(due=Count("pk", filter=Q(next_due__lte=today)), soon=Count("pk"))
    counts["soon"] -= counts["due"]
    if counts["due"] or counts["soon"]:
        summaries = [
            Notification(
                user_id=user_id,
                key=f"visit-summary:{today.isoformat()}",
                text=texts.get(language)["summary"] % {**counts, "days": (ahead - today).days},
                link=reverse("units:visits_overdue"),
            )
            for user_id, language in district_admins()
        ]
        created += save_notifications(summaries)
    return {"units_due": counts["due"], "units_due_soon": counts["soon"], "messages": created}


def _street_staff() -> dict[int, list[tuple[int, str]]]:
    """{street id: [(user id, language)]} for the active street staff, in one query."""
    staff: dict[int, list[tuple[int, str]]] = {}
    rows = RoleAssignment.objects.filter(role=Role.STREET_STAFF, user__is_active=True).values_list(
        "region_id", "user_id", "user__language"
    )
    for street_id, user_id, language in rows:
        staff.setdefault(street_id, []).append((user_id, language))
    return staff


def _unit_reminder(unit: dict, user_id: int, texts: dict, today: datetime.date) -> Notification:
    due, values = unit["next_due"], {"unit": unit["name"], "date": unit["next_due"].isoformat()}
    if unit["last_visit"] is None:
        # Never visited: due "today" on every run, so the key must not hold the date.
        key, text = f"visit-overdue:{unit['pk']}:never", texts["never"] % values
    elif due <= today:
        key, text = f"visit-overdue:{unit['pk']}:{due.isoformat()}", texts["overdue"] % values
    else:
        key, text = f"visit-due-soon:{unit['pk']}:{due.isoformat()}", texts["soon"] % values
    link = reverse("units:detail", kwargs={"unit_pk": unit["pk"]}) + "#visits"
    return Notification(user_id=user_id, key=key, text=text[:300], link=link)


def _texts() -> dict[str, str]:
    return {
        "never": gettext("Return visit due: %(unit)s has never been visited."),
        "overdue": gettext("Return visit overdue: %(unit)s was due on %(date)s."),
        "soon": gettext("Return visit due soon: %(unit)s is due on %(date)s."),
        "summary": gettext(
            "Return visits: %(due)s units due or overdue, %(soon)s more due within %(days)s days."
        ),
    }
