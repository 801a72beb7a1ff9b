"""Forms of the joint-build planner's pages; choice lists are scoped to the user."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import scope_of
from dangjian.core.forms import FilterForm
from dangjian.coverage.models import ProposedGroup
from dangjian.coverage.proposals import plannable_streets
from dangjian.regions.models import Region
from dangjian.units.models import Unit


class PlanForm(forms.Form):
    """The area to plan: a street (and optionally a key area in it); the district may leave the
    street empty to plan the whole district (in the background)."""

    street = forms.ModelChoiceField(label=_("Street/town"), queryset=Region.objects.none(), required=False)
    key_area = forms.ChoiceField(
        label=_("Key area"), choices=[("", _("All units")), *Unit.KeyArea.choices[1:]], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.whole_district = scope_of(user).everything
        field = self.fields["street"]
        field.queryset = plannable_streets(user)
        field.empty_label = _("Whole district (runs in the background)") if self.whole_district else None
        field.required = not self.whole_district
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("class", "form-select")
            f.widget.attrs["data-testid"] = f"plan-{name}"


class GroupFilterForm(FilterForm):
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=Region.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ProposedGroup.Status.choices], required=False
    )

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets

    def filters(self) -> dict:
        values = super().filters()
        street = values.pop("street", None)
        values["street_id"] = street.pk if street else None
        return values


class AcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the joint branch"),
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control", "data-testid": "branch-name"}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
