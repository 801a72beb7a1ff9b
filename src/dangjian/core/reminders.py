"""What the daily reminder jobs (units/tasks.py, membership/tasks.py, membership/mobile_tasks.py,
...) share: writing core.Notification rows idempotently, finding the district administrators who
get the daily summaries, and translating the sentences into each recipient's language.

A reminder's key is unique per recipient (a database constraint), so a job that runs twice, or on
two days in a row, writes nothing twice: the jobs put the date a reminder is about into the key.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import Notification


def save_notifications(notifications: list[Notification]) -> int:
    """Insert in bulk; reminders already sent (same user and key) are skipped by the database.

    Returns how many rows were new, counted from the keys since the database does not say."""
    if not notifications:
        return 0
    already = set(
        Notification.objects.filter(
            user_id__in={n.user_id for n in notifications}, key__in={n.key for n in notifications}
        ).values_list("user_id", "key")
    )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    # A set: the same (user, key) twice in one batch is still one row.
    return len({(n.user_id, n.key) for n in notifications} - already)


def district_admins() -> list[tuple[int, str]]:
    """[(user id, language)] of the active district administrators, who get the daily summaries."""
    rows = RoleAssignment.objects.filter(role=Role.DISTRICT_ADMIN, user__is_active=True).values_list(
        "user_id", "user__language"
    )
    return list(dict(rows).items())  # one summary per person, however many district roles they hold


class Texts:
    """A job's reminder sentences in each recipient's language, translated once per language.

    ``build`` returns the sentences as {name: gettext(...)}; it is called inside
    ``translation.override`` so its gettext calls give that language."""

    def __init__(self, build: Callable[[], dict[str, str]]):
        self._build = build
        self._by_language: dict[str, dict[str, str]] = {}

    def get(self, language: str) -> dict[str, str]:
        language = language or settings.LANGUAGE_CODE
        if language not in self._by_language:
            with translation.override(language):
                self._by_language[language] = self._build()
        return self._by_language[language]
