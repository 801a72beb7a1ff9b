"""Forms of the mobile-member pages (流动党员)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.core.validators import validate_id_number
from dangjian.membership import mobile
from dangjian.membership.models import MobileMember


class MobileFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    flag = forms.ChoiceField(
        label=_("Flag"),
        required=False,
        choices=[
            ("", _("All")),
            ("any", _("Any flag")),
            (mobile.TRANSFER, _("Transfer the relation")),
            (mobile.OUT_OF_CONTACT, _("Out of contact")),
        ],
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Mobile now")), ("ended", _("No longer mobile")), ("all", _("All"))],
    )


class MobileMemberForm(Styled, forms.ModelForm):
    class Meta:
        model = MobileMember
        fields = [
            "outside_affiliation",
            "certificate_number",
            "away_since",
            "stay_place",
            "stay_since",
            "last_contact_on",
            "ended_on",
            "end_reason",
            "note",
        ]
        widgets = {
            "away_since": date_input(),
            "stay_since": date_input(),
            "last_contact_on": date_input(),
            "ended_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class NewMobileMemberForm(MobileMemberForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("The member is found by ID number among the people you can see."),
    )

    class Meta(MobileMemberForm.Meta):
        fields = [name for name in MobileMemberForm.Meta.fields if name not in ("ended_on", "end_reason")]

    field_order = ["id_number"]

    def clean_id_number(self):
        try:
            return validate_id_number(self.cleaned_data["id_number"])
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ParticipationForm(Styled, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization taking part in"), queryset=None)
    start_date = forms.DateField(label=_("From"), widget=date_input())

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class EndParticipationForm(Styled, forms.Form):
    end_date = forms.DateField(label=_("To"), widget=date_input())


class ContactForm(Styled, forms.Form):
    day = forms.DateField(label=_("Contacted on"), widget=date_input())


class BringInForm(Styled, forms.Form):
    how = forms.ChoiceField(
        label=_("How the member is brought in"),
        widget=forms.RadioSelect,
        choices=[
            (
                mobile.BRING_IN_PARTICIPATION,
                _("Takes part here as a mobile member (the organization relation stays where it is)"),
            ),
            (mobile.BRING_IN_AFFILIATION, _("The organization relation was transferred here")),
        ],
    )
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    outside_affiliation = forms.CharField(
        label=_("Affiliated organization outside the district"),
        max_length=120,
        required=False,
        help_text=_("For a member taking part here whose relation is outside the district."),
    )
    certificate_number = forms.CharField(
        label=_("Mobile member certificate number"), max_length=40, required=False
    )
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["how"].widget.attrs["class"] = "form-check-input"
