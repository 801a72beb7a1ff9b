from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import Industry
from dangjian.core.forms import FilterForm
from dangjian.regions.models import townships
from dangjian.units.models import Unit


class UnitFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    key_area = forms.ChoiceField(
        label=_("Key area"), choices=[("", _("All key areas")), *Unit.KeyArea.choices[1:]], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Unit.Kind.choices], required=False
    )

    def filters(self) -> dict:
        values = super().filters()
        if "street" in values:
            street = values.pop("street")
            values["street_id"] = street.pk if street else None
        return values
