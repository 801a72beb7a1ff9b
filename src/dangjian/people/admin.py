from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dangjian.core.admin import ScopedAdmin, ScopedInline
from dangjian.people.models import Employment, Person


class EmploymentInline(ScopedInline):
    model = Employment
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "id_number_masked", "mobile_masked", "political_status"]
    list_filter = ["political_status"]
    # Encrypted fields cannot be searched with LIKE; names can.
    search_fields = ["name"]
    exclude = ["user"]
    inlines = [EmploymentInline]

    @admin.display(description=_("ID number"))
    def id_number_masked(self, person):
        return person.masked_id_number

    @admin.display(description=_("mobile phone"))
    def mobile_masked(self, person):
        return person.masked_mobile
