from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = _("Core")

    def ready(self):
        from dangjian.core.rules import sync_rule_table

        post_migrate.connect(sync_rule_table, sender=self)
