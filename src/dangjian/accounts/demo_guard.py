"""The production profile must never run with the public demo accounts in its database."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_demo_accounts() -> None:
    if not settings.PRODUCTION:
        return
    from dangjian.accounts.models import User

    count = User.objects.filter(is_demo=True).count()
    if count:
        raise ImproperlyConfigured(
            f"The production profile refuses to start: {count} demo account(s) exist. "
            "Delete them with `manage.py remove_demo_accounts` (or use a database without demo data)."
        )
