from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "dangjian.units"
    verbose_name = _("Units")

    def ready(self):
        from dangjian.spreadsheets.imports import register
        from dangjian.units.imports import UnitImporter

        register(UnitImporter())
