"""Forms of the quota pages (发展党员指标)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FilterForm, Styled


class QuotaYearForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class AllocationForm(Styled, forms.Form):
    organization = forms.ModelChoiceField(label=_("Committee"), queryset=None)
    amount = forms.IntegerField(label=_("Quota"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = committees


class DistrictQuotaForm(Styled, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.IntegerField(label=_("Quota"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
