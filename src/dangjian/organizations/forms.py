from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FilterForm
from dangjian.organizations.models import Organization


class OrganizationFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Organization.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Organization.Status.choices], required=False
    )
