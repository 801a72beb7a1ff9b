"""``manage.py send_reminders``: queue the daily reminder jobs (run it from cron once a day).

The jobs run in the task worker (``manage.py db_worker``); ``--now`` runs them here instead, for
a machine without a worker or to try it out.
"""

from django.core.management.base import BaseCommand

from dangjian.coverage.snapshot_tasks import take_coverage_snapshot
from dangjian.membership.mobile_tasks import send_mobile_member_reminders
from dangjian.membership.tasks import send_development_reminders
from dangjian.units.tasks import send_visit_reminders

# Every daily reminder job; later measures add theirs here.
REMINDER_TASKS = [send_visit_reminders]
# The month's coverage snapshot (measure 4): rewritten daily until the month ends.
REMINDER_TASKS.append(take_coverage_snapshot)
# Member development (measure 5): talks, half-year reviews, approvals and probations falling due.
REMINDER_TASKS.append(send_development_reminders)
# Mobile party members (measure 5): relations to transfer, members out of contact.
REMINDER_TASKS.append(send_mobile_member_reminders)


class Command(BaseCommand):
    help = "发送每日提醒（回访到期等）到站内消息。 Queue the daily inbox reminders (return visits due, ...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="run the jobs in this process instead of queueing"
        )

    def handle(self, *args, **options):
        for reminder in REMINDER_TASKS:
            if options["now"]:
                result = reminder.call()
                self.stdout.write(f"{reminder.name}: {result}")
            else:
                result = reminder.enqueue()
                self.stdout.write(f"{reminder.name}: queued ({result.id})")
