from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        checks.register(demo_accounts_check, checks.Tags.security, checks.Tags.database)


def demo_accounts_check(app_configs=None, databases=None, **kwargs):
    """`check --database default` and `migrate` in the production profile fail while demo accounts exist."""
    from django.core.exceptions import ImproperlyConfigured

    from dangjian.accounts.demo_guard import refuse_demo_accounts

    if not databases:
        return []
    try:
        refuse_demo_accounts()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="dangjian.E001")]
    return []
