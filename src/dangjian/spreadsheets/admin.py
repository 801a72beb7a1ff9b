from django.contrib import admin

from dangjian.core.admin import ScopedAdminMixin
from dangjian.spreadsheets.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "what", "rows"]
    list_filter = ["what"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
