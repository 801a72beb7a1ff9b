"""``manage.py load_demo``: load the Longhua demo district (see ``dangjian.core.demo.generate``)."""

import time

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.demo.generate import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    NOT_EMPTY_MESSAGE,
    SIZES,
    DatabaseNotEmpty,
    database_has_data,
    load_demo,
)


class Command(BaseCommand):
    help = (
        "加载龙华区演示数据（街道、单位、党组织、从业人员和演示账号）。"
        " Load the Longhua District demo data (regions, units, party organizations, workers, demo accounts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="default", help="default or large")
        parser.add_argument("--units", type=int, help="number of units (overrides --size)")
        parser.add_argument("--workers", type=int, help="number of workers (overrides --size)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has regions (for `make run`)",
        )
        parser.add_argument(
            "--with-accounts",
            dest="with_accounts",
            action="store_true",
            default=True,
            help="create the demo accounts (default)",
        )
        parser.add_argument(
            "--no-accounts", dest="with_accounts", action="store_false", help="do not create demo accounts"
        )
        parser.add_argument(
            "--history",
            dest="with_history",
            action="store_true",
            default=None,
            help="write the change history (the ledger as of a past day); default except for --size large",
        )
        parser.add_argument(
            "--no-history", dest="with_history", action="store_false", help="write no change history"
        )

    def handle(self, *args, **options):
        if database_has_data():
            if options["if_empty"]:
                self.stdout.write(
                    "数据库已有数据，跳过演示数据 / the database already has data; demo data skipped"
                )
                return
            raise CommandError(NOT_EMPTY_MESSAGE)
        started = time.monotonic()
        try:
            counts = load_demo(
                size=options["size"],
                units=options["units"],
                workers=options["workers"],
                seed=options["seed"],
                with_accounts=options["with_accounts"],
                with_history=options["with_history"],
                stdout=self.stdout,
            )
        except DatabaseNotEmpty as exc:
            raise CommandError(str(exc)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已加载 / demo data loaded in {elapsed:.1f}s: {summary}")
        )
        if options["with_accounts"]:
            self.stdout.write(f"演示账号 / demo accounts (密码 / password: {DEMO_PASSWORD}):")
            for username, _role, description in DEMO_ACCOUNTS:
                self.stdout.write(f"  {username:<20} {description}")
