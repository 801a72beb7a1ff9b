"""Forms of the legal-aid (法律援助) pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.care.fund_forms import _Styled
from dangjian.care.legal import HARDSHIP_ITEMS
from dangjian.care.models import LegalAidCentre, LegalAidRequest
from dangjian.core.forms import FilterForm, date_input
from dangjian.regions.models import townships


class LegalAidRequestForm(_Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=LegalAidRequest.Kind.choices)
    facts = forms.CharField(
        label=_("Facts"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, when, with whom, and what you want to achieve."),
    )


class HardshipForm(forms.Form):
    """The hardship checklist: one box per question."""

    def __init__(self, *args, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in HARDSHIP_ITEMS:
            self.fields[key] = forms.BooleanField(
                label=question,
                required=False,
                initial=bool((initial_answers or {}).get(key)),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def answers(self) -> dict:
        return {key: bool(self.cleaned_data.get(key)) for key, _question in HARDSHIP_ITEMS}


class ReferralForm(_Styled, forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Legal-aid centre"), queryset=LegalAidCentre.objects.filter(active=True), empty_label=None
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=date_input())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ClosureForm(_Styled, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=LegalAidRequest.Outcome.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=date_input())
    note = forms.CharField(
        label=_("How it ended"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class LegalAidFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *LegalAidRequest.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of matter"),
        choices=[("", _("All kinds")), *LegalAidRequest.Kind.choices],
        required=False,
    )
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)

    id_fields = ("street",)
