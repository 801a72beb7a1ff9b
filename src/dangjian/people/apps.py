from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "dangjian.people"
    verbose_name = _("People")

    def ready(self):
        from dangjian.people.imports import InvestorImporter, RegistrationImporter
        from dangjian.spreadsheets.imports import register

        register(RegistrationImporter())
        register(InvestorImporter())
