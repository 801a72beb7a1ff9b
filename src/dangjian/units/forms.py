from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import Industry
from dangjian.regions.models import townships
from dangjian.units.models import Unit


class UnitFilterForm(forms.Form):
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
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["text"].strip(),
            "street_id": data["street"].pk if data["street"] else None,
            "industry": data["industry"],
            "key_area": data["key_area"],
            "kind": data["kind"],
        }
