"""Filters of the coverage list, the progress page and the map (measure 4)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import Industry
from dangjian.core.forms import FilterForm
from dangjian.coverage.progress import DIMENSIONS
from dangjian.coverage.queries import NO_KEY_AREA, PREPARING
from dangjian.coverage.rules import CoverageStatus, Gap
from dangjian.regions.models import townships
from dangjian.units.models import Unit

KEY_AREA_CHOICES = [
    ("", _("All key areas")),
    *Unit.KeyArea.choices[1:],
    (NO_KEY_AREA, _("not in a key area")),
]
STATUS_CHOICES = [
    ("", _("All statuses")),
    *CoverageStatus.choices,
    (PREPARING, _("organization in preparation")),
]


class _Area(FilterForm):
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    key_area = forms.ChoiceField(label=_("Key area"), choices=KEY_AREA_CHOICES, required=False)

    id_fields = ("street",)


class CoverageFilterForm(_Area):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Coverage"), choices=STATUS_CHOICES, required=False)
    gap = forms.ChoiceField(label=_("Gap"), choices=[("", _("All units")), *Gap.choices], required=False)

    field_order = ["text", "street", "industry", "key_area", "status", "gap"]


class ProgressFilterForm(_Area):
    dimension = forms.ChoiceField(
        label=_("By"),
        choices=[("street", _("street/town")), ("industry", _("industry")), ("key_area", _("key area"))],
        required=False,
    )

    field_order = ["dimension", "street", "industry", "key_area"]

    def filters(self) -> dict:
        values = super().filters()
        if values.get("dimension") not in DIMENSIONS:
            values["dimension"] = "street"
        return values


class MapFilterForm(_Area):
    status = forms.ChoiceField(label=_("Coverage"), choices=STATUS_CHOICES, required=False)
