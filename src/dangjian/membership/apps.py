from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "dangjian.membership"
    verbose_name = _("Membership")

    def ready(self):
        # The development rules' national defaults (membership/pipeline_defaults.py).
        from dangjian.membership.pipeline_defaults import sync_development_rules

        post_migrate.connect(sync_development_rules, sender=self)
        # A closed disclosure follow-up brings a known mobile member into the organization's life.
        from dangjian.membership.mobile import _on_follow_up_closed
        from dangjian.people.services import follow_up_closed

        follow_up_closed.connect(_on_follow_up_closed, dispatch_uid="membership-mobile-follow-up")
