from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import Industry
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.regions.models import townships
from dangjian.units.models import Unit, Visit


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

    id_fields = ("street",)


# --- return visits (定期回访) ---------------------------------------------------------------


class VisitForm(Styled, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "visitors", "findings", "problems"]
        widgets = {
            "visited_on": date_input(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"visitors": _("Names of those who went, separated by commas.")}


class VisitActionForm(Styled, forms.Form):
    description = forms.CharField(label=_("Follow-up action"), max_length=300, required=False)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=date_input())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_on") and not cleaned.get("description", "").strip():
            self.add_error("description", _("Describe the action that falls due."))
        return cleaned


# Rows left empty are ignored; three are enough for one visit, more can follow at the next one.
VisitActionFormSet = forms.formset_factory(VisitActionForm, extra=3, max_num=20, validate_max=True)


class CloseVisitActionForm(Styled, forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=date_input())
    closure_note = forms.CharField(
        label=_("How it was closed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitIntervalForm(Styled, forms.Form):
    days = forms.IntegerField(
        label=_("Return visit interval (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty to use the district's default for this kind of unit."),
    )


class OverdueVisitFilterForm(FilterForm):
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    when = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Due or overdue")), ("soon", _("Due soon"))],
        required=False,
    )

    id_fields = ("street",)
