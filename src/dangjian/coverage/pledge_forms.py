"""Forms for one-to-one help pledges; every choice list is scoped to the user."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import visible_to
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.coverage import pledge_queries
from dangjian.coverage.models import Pledge, PledgeProgress
from dangjian.coverage.pledges import result_choices
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region, townships
from dangjian.units.models import Unit


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organization.name} · {obj.get_post_display()} · {obj.person.name}"


class PledgeFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Pledge.Status.choices], required=False
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Organization.objects.none(), required=False
    )
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = pledge_queries.pledging_committees(user).order_by("path")

    id_fields = ("committee", "street")


class CommitteeFilterForm(FilterForm):
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = pledge_queries.pledging_committees(user).order_by("path")

    def filters(self) -> dict:
        values = super().filters()
        chosen = values.pop("committee", None)
        return {"committee_id": chosen.pk if chosen else None}


class PledgeForm(Styled, forms.Form):
    """The pledge: who, to help build where (a unit, or an area), and when."""

    committee_member = _MemberChoice(label=_("Committee member"), queryset=None)
    pledged_on = forms.DateField(label=_("Pledged on"), widget=date_input())
    target_unit = forms.CharField(
        label=_("Target unit"),
        required=False,
        max_length=120,
        help_text=_("The unit's name or unified social credit code. Leave empty for a pledge to an area."),
        widget=forms.TextInput(attrs={"list": "pledge-unit-options", "autocomplete": "off"}),
    )
    target_region = forms.ModelChoiceField(
        label=_("Target street or community"),
        queryset=Region.objects.exclude(kind=Region.Kind.DISTRICT),
        required=False,
        help_text=_("For a pledge to an area rather than one unit."),
    )
    target_key_area = forms.ChoiceField(
        label=_("Target key area"), choices=[("", "—"), *Unit.KeyArea.choices[1:]], required=False
    )
    target_description = forms.CharField(
        label=_("Target area"),
        required=False,
        max_length=120,
        help_text=_("e.g. the name of the office building, business district or industrial park."),
    )

    def __init__(self, *args, user, member_fixed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["committee_member"].queryset = pledge_queries.sitting_members(user).order_by(
            "organization__path", "post", "person__name"
        )
        if member_fixed is not None:
            # Editing: the member stays; a new member makes a pledge of their own.
            del self.fields["committee_member"]
        # Suggestions while typing: the units the user may see whose name or code matches.
        self.fields["target_unit"].widget.attrs.update(
            {
                "hx-get": reverse("coverage:pledge_unit_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#pledge-unit-options",
            }
        )

    def clean_target_unit(self):
        text = self.cleaned_data["target_unit"].strip()
        if not text:
            return None
        units = visible_to(self.user, Unit.objects.all())
        found = list(units.filter(Q(uscc__iexact=text) | Q(name=text))[:2])
        if not found:
            raise forms.ValidationError(_("No unit you are responsible for has this name or code."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several units have this name: enter the credit code."))
        return found[0]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("target_unit") and not cleaned.get("target_region"):
            raise forms.ValidationError(_("Name the unit, or the street or community, the pledge is for."))
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("committee_member", None)
        return data


class ProgressForm(Styled, forms.ModelForm):
    class Meta:
        model = PledgeProgress
        fields = ["noted_on", "note"]
        widgets = {"noted_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}


class ResultForm(Styled, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization built"), queryset=None)
    result_on = forms.DateField(label=_("Built on"), widget=date_input())

    def __init__(self, *args, user, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = visible_to(user, result_choices(pledge)).order_by("name")


class WithdrawForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
