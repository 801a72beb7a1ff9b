from django.contrib import admin

from dangjian.core.admin import ScopedAdmin
from dangjian.units.models import Unit
from dangjian.units.services import stamp_operations


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "industry", "street", "key_area", "uscc"]
    list_filter = ["kind", "industry", "key_area", "street"]
    search_fields = ["name", "uscc", "address"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["operations_updated_at", "operations_updated_by"]

    def save_model(self, request, obj, form, change):
        # The ledger's operations part says who last changed it, from the admin too.
        stamp_operations(obj, actor=request.user)
        super().save_model(request, obj, form, change)
