from django.contrib import admin

from dangjian.core.admin import ScopedAdmin
from dangjian.units.models import Unit


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "industry", "street", "key_area", "uscc"]
    list_filter = ["kind", "industry", "key_area", "street"]
    search_fields = ["name", "uscc", "address"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["operations_updated_at", "operations_updated_by"]
