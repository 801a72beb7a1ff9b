"""Background jobs of the membership app: reminders of development steps falling due.

Run daily with the other reminders (``manage.py send_reminders``). Each reminder carries a key
unique per recipient, holding the step's due date, so running the job twice, or on two days in a
row, sends nothing twice; a recorded step or a changed rule makes a new due date and a new
reminder.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import Notification
from dangjian.core.reminders import Texts, district_admins, save_notifications
from dangjian.membership.models import DevelopmentRecord
from dangjian.membership.queries import due_for, reminder_days_ahead
from dangjian.membership.rules import Due

_BATCH = 2000


@task()
def send_development_reminders() -> dict:
    return remind_about_development(timezone.localdate())


def remind_about_development(today: datetime.date) -> dict:
    """Leave inbox reminders about development steps due within the reminder period or overdue.

    The secretaries of the developing organization (or of an organization above it) and the staff
    of its street get one message per step; district administrators one summary a day. The job
    acts for the district as a whole: who hears about which record follows the organization's
    place in the tree and its street, not a viewer's scope."""
    days_ahead = reminder_days_ahead()
    rows = due_for(DevelopmentRecord.objects.all(), today=today, days_ahead=days_ahead)
    secretaries, street_staff = _recipients()
    texts = Texts(_texts)

    created, pending = 0, []
    for row in rows:
        record, item = row.record, row.item
        recipients = set(street_staff.get(record.organization.street_id, ()))
        for path in _ancestor_paths(record.organization.path):
            recipients.update(secretaries.get(path, ()))
        for user_id, language in recipients:
            pending.append(_reminder(record, item, user_id, texts.get(language)))
        if len(pending) >= _BATCH:
            created += save_notifications(pending)
            pending = []
    created += save_notifications(pending)

    overdue = sum(1 for row in rows if row.item.overdue)
    soon = len(rows) - overdue
    if rows:
        summaries = [
            Notification(
                user_id=user_id,
                key=f"development-summary:{today.isoformat()}",
                text=texts.get(language)["summary"] % {"overdue": overdue, "soon": soon, "days": days_ahead},
                link=reverse("membership:todo"),
            )
            for user_id, language in district_admins()
        ]
        created += save_notifications(summaries)
    return {"steps_overdue": overdue, "steps_due_soon": soon, "messages": created}


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/5/9/" -> ["/1/", "/1/5/", "/1/5/9/"]: the organization and those above it."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _recipients():
    """({organization path: {(user id, language)}} of active branch secretaries,
    {street id: {(user id, language)}} of active street staff), in two queries."""
    secretaries: dict[str, set] = {}
    for path, user_id, language in RoleAssignment.objects.filter(
        role=Role.BRANCH_SECRETARY, user__is_active=True
    ).values_list("organization__path", "user_id", "user__language"):
        secretaries.setdefault(path, set()).add((user_id, language))
    streets: dict[int, set] = {}
    for street_id, user_id, language in RoleAssignment.objects.filter(
        role=Role.STREET_STAFF, user__is_active=True
    ).values_list("region_id", "user_id", "user__language"):
        streets.setdefault(street_id, set()).add((user_id, language))
    return secretaries, streets


def _reminder(record, item, user_id: int, texts: dict) -> Notification:
    state = "overdue" if item.overdue else "due"
    values = {
        "person": record.person.name,
        "organization": record.organization.name,
        "date": item.due_on.isoformat(),
    }
    return Notification(
        user_id=user_id,
        key=f"development-{state}:{item.what}:{record.pk}:{item.due_on.isoformat()}"[:120],
        text=(texts[f"{item.what}:{state}"] % values)[:300],
        link=reverse("membership:record", kwargs={"developmentrecord_pk": record.pk}),
    )


def _texts() -> dict[str, str]:
    return {
        f"{Due.FIRST_TALK}:due": gettext(
            "Member development: the talk with applicant %(person)s (%(organization)s) is due by %(date)s."
        ),
        f"{Due.FIRST_TALK}:overdue": gettext(
            "Member development: the talk with applicant %(person)s (%(organization)s) was due by %(date)s."
        ),
        f"{Due.REVIEW}:due": gettext(
            "Member development: the half-year review of activist %(person)s "
            "(%(organization)s) is due by %(date)s."
        ),
        f"{Due.REVIEW}:overdue": gettext(
            "Member development: the half-year review of activist %(person)s "
            "(%(organization)s) was due by %(date)s."
        ),
        f"{Due.APPROVAL}:due": gettext(
            "Member development: the higher committee's approval of %(person)s "
            "(%(organization)s) is due by %(date)s."
        ),
        f"{Due.APPROVAL}:overdue": gettext(
            "Member development: the higher committee's approval of %(person)s "
            "(%(organization)s) was due by %(date)s."
        ),
        f"{Due.PROBATION_END}:due": gettext(
            "Member development: the probation of %(person)s (%(organization)s) ends on "
            "%(date)s; "
            "the branch should discuss full membership."
        ),
        f"{Due.PROBATION_END}:overdue": gettext(
            "Member development: the probation of %(person)s (%(organization)s) ended on "
            "%(date)s; "
            "full membership has not been recorded."
        ),
        "summary": gettext(
            "Member development: %(overdue)s steps overdue, %(soon)s more due within %(days)s days."
        ),
    }
