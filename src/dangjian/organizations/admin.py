from django.contrib import admin

from dangjian.core.admin import ScopedAdmin, ScopedInline
from dangjian.organizations.models import (
    CommitteeIndustry,
    CommitteeMember,
    MajorDecision,
    ManagementPost,
    Office,
    Organization,
)


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]


class CommitteeMemberInline(ScopedInline):
    model = CommitteeMember
    autocomplete_fields = ["person"]


class CommitteeIndustryInline(ScopedInline):
    model = CommitteeIndustry


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "build_method", "status", "street", "term_end"]
    list_filter = ["kind", "build_method", "status", "street"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "covered_units"]
    inlines = [CommitteeIndustryInline, CommitteeMemberInline]


# Secretaries and leadership (measure 5): corrections by the district go through the same audit.
@admin.register(ManagementPost)
class ManagementPostAdmin(ScopedAdmin):
    list_display = ["unit", "person", "kind", "title", "start_date", "end_date"]
    list_filter = ["kind"]
    search_fields = ["unit__name", "person__name"]
    autocomplete_fields = ["unit", "person"]


@admin.register(MajorDecision)
class MajorDecisionAdmin(ScopedAdmin):
    list_display = ["unit", "organization", "decided_on", "matter", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["unit__name", "matter"]
    autocomplete_fields = ["unit", "organization"]
    readonly_fields = ["recorded_by"]
