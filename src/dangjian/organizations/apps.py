from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "dangjian.organizations"
    verbose_name = _("Offices and party organizations")

    def ready(self):
        from dangjian.organizations.leadership_imports import ManagementPostImporter
        from dangjian.spreadsheets.imports import register

        register(ManagementPostImporter())
