"""The development rule table in the back office: district administrators edit the values and
switch rules, for the district or for one organization (and its subtree)."""

from django.contrib import admin

from dangjian.accounts.scope import scope_of
from dangjian.core.admin import ScopedAdmin, ScopedInline
from dangjian.membership.models import DevelopmentRule, DevelopmentRuleOverride


def _district(request) -> bool:
    return scope_of(request.user).everything


class DevelopmentRuleOverrideInline(ScopedInline):
    model = DevelopmentRuleOverride
    autocomplete_fields = ["organization"]
    fields = ["organization", "enabled", "min_value", "max_value", "note"]

    def has_add_permission(self, request, obj=None):
        return _district(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _district(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _district(request) and super().has_delete_permission(request, obj)


@admin.register(DevelopmentRule)
class DevelopmentRuleAdmin(ScopedAdmin):
    list_display = [
        "name",
        "kind",
        "from_step",
        "to_step",
        "min_value",
        "max_value",
        "unit",
        "enabled",
        "national",
    ]
    list_editable = ["min_value", "max_value", "enabled"]
    list_filter = ["enabled", "national", "kind"]
    search_fields = ["name", "key"]
    fields = [
        "key",
        "name",
        "kind",
        "from_step",
        "to_step",
        "min_value",
        "max_value",
        "unit",
        "enabled",
        "national",
        "default_min",
        "default_max",
        "default_unit",
        "default_enabled",
        "source",
    ]
    readonly_fields = [
        "key",
        "kind",
        "from_step",
        "to_step",
        "national",
        "default_min",
        "default_max",
        "default_unit",
        "default_enabled",
        "source",
    ]
    inlines = [DevelopmentRuleOverrideInline]

    # The rules come from the national text (membership/pipeline_defaults.py): edited and
    # switched, never added or deleted by hand.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return _district(request) and super().has_change_permission(request, obj)


@admin.register(DevelopmentRuleOverride)
class DevelopmentRuleOverrideAdmin(ScopedAdmin):
    list_display = ["rule", "organization", "enabled", "min_value", "max_value"]
    list_filter = ["enabled", "rule"]
    autocomplete_fields = ["organization"]
    search_fields = ["organization__name", "rule__name"]

    def has_add_permission(self, request):
        return _district(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return _district(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _district(request) and super().has_delete_permission(request, obj)
