"""The production profile must never run with the public demo accounts in its database."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def refuse_demo_accounts() -> None:
    if not settings.PRODUCTION:
        return
    from dangjian.accounts.models import User

    # A fresh database (`migrate` runs this check before creating any table) holds no accounts.
    if User._meta.db_table not in connection.introspection.table_names():
        return
    count = User.objects.filter(is_demo=True).count()
    if count:
        raise ImproperlyConfigured(
            f"The production profile refuses to start: {count} demo account(s) exist. "
            "Delete them with `manage.py remove_demo_accounts` (or use a database without demo data)."
        )
