from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "dangjian.care"
    verbose_name = _("Care and support")

    def ready(self):
        # Care fund: the starting categories, eligibility rules and legal-aid centre (never
        # overwriting what the district set).
        from dangjian.care.fund import sync_care_defaults
        from dangjian.care.legal import sync_legal_aid_defaults

        post_migrate.connect(sync_care_defaults, sender=self)
        post_migrate.connect(sync_legal_aid_defaults, sender=self)
        # Red rider stations: the default services a station may offer.
        from dangjian.care.stations import sync_station_services

        post_migrate.connect(sync_station_services, sender=self)
