from django.contrib import admin

from dangjian.core.admin import LogAdmin
from dangjian.spreadsheets.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(LogAdmin):
    list_display = ["at", "user", "what", "rows"]
    list_filter = ["what"]
