"""The staff inbox: reminders the background jobs leave for a user (core.Notification).

Reading a message is the reader's own state, not a change to the district's records, so marking
it read writes no audit event.
"""

from django.db.models import F
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.core.models import Notification


def inbox_of(user):
    """The user's own messages, unread first, newest first. (Filtered by user as well as by scope:
    the district administrator's scope covers every row, the inbox is still only their own.)"""
    messages = visible_to(user, Notification.objects.filter(user=user))
    return messages.order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    # One query on the (user, read_at) index; no scope lookup needed for one's own rows.
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, notification_pk: int) -> Notification | None:
    """Mark one of the user's messages read; None if it is not theirs (or does not exist)."""
    message = inbox_of(user).filter(pk=notification_pk).first()
    if message is not None and message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def mark_all_read(*, user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
