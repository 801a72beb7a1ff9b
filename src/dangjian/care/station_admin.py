"""The back office of red rider stations: the district edits the services a station may offer
(names, order, whether offered) and can see and correct stations. Every save refreshes the
finder's index; the stations' own pages (/care/stations/) are where streets manage them."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from dangjian.care import station_index
from dangjian.care.models import Station, StationClosure, StationPeriod, StationService
from dangjian.care.station_rules import period_errors
from dangjian.core.admin import ScopedAdmin, ScopedInline


class _Refreshing:
    """Saves and deletions in the admin tell the finder's index to rebuild."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        station_index.invalidate()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        station_index.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        station_index.invalidate()


@admin.register(StationService)
class StationServiceAdmin(_Refreshing, ScopedAdmin):
    list_display = ["name", "code", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # The code is what the API's service filter and saved links name: fixed once created.
        return ["code"] if obj is not None else []


class PeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        periods = [
            form.instance.as_rule()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.instance.weekday is not None
        ]
        if errors := period_errors(periods):
            raise forms.ValidationError(errors)


class PeriodInline(ScopedInline):
    model = StationPeriod
    formset = PeriodFormSet
    verbose_name_plural = _("opening hours")


class ClosureInline(ScopedInline):
    model = StationClosure


@admin.register(Station)
class StationAdmin(_Refreshing, ScopedAdmin):
    list_display = ["name", "host_kind", "street", "community", "is_active"]
    list_filter = ["host_kind", "is_active", "street"]
    search_fields = ["name", "address", "host_name"]
    filter_horizontal = ["services"]
    readonly_fields = ["check_in_code", "created_at", "updated_at"]
    inlines = [PeriodInline, ClosureInline]
