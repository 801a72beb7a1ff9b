from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.admin import ScopedAdminMixin, ScopedInline


class RoleAssignmentInline(ScopedInline):
    model = RoleAssignment
    autocomplete_fields = ["region", "organization", "unit", "person"]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "is_active", "is_staff", "is_demo", "language"]
    list_filter = ["is_active", "is_staff", "is_demo"]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ["language"]}))
    inlines = [RoleAssignmentInline]
