from django.contrib import admin

from dangjian.core.admin import ScopedAdmin
from dangjian.regions.models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "kind", "parent", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
