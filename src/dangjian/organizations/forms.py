from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.organizations.models import Organization


class OrganizationFilterForm(forms.Form):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Organization.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Organization.Status.choices], required=False
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value.strip() for key, value in self.cleaned_data.items()}
