from django.contrib import admin

from dangjian.core.admin import ScopedAdmin, ScopedInline
from dangjian.organizations.models import CommitteeIndustry, CommitteeMember, Office, Organization


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
