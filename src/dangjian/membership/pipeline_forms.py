"""Forms of the development pipeline: filters, the application and one form for every step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.membership.models import DevelopmentRecord, DevelopmentStep
from dangjian.membership.rules import DUE_LABELS, Due

Kind = DevelopmentStep.Kind


class _Styled(Styled):
    unstyled_widgets = (forms.CheckboxSelectMultiple,)


OVERRIDE_HELP = _(
    "District administrators only: when the step breaks a rule of the rule table, record it all "
    "the same by giving the reason. The reason is kept with the step."
)


class _Override(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for overriding the rule"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=OVERRIDE_HELP,
    )

    def __init__(self, *args, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]


class ApplicationForm(_Styled, _Override):
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=24,
        help_text=_(
            "The applicant's resident ID number: it finds the one record of the person, and the age "
            "is read from it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applied_on = forms.DateField(label=_("Date of the application"), widget=date_input())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["name", "id_number", "applied_on", "notes", "override_reason"]


class StepForm(_Styled, _Override):
    """One step of a record; the fields shown depend on the kind of step."""

    on = forms.DateField(label=_("Date"), widget=date_input())
    days = forms.IntegerField(label=_("Training days"), required=False, min_value=0, max_value=365)
    hours = forms.IntegerField(label=_("Class hours"), required=False, min_value=0, max_value=2000)
    months = forms.IntegerField(label=_("Extension (months)"), required=False, min_value=1, max_value=24)
    people = forms.ModelMultipleChoiceField(
        label=_("Full members named"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["on", "days", "hours", "months", "people", "notes", "override_reason"]

    def __init__(self, *args, kind: str, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Kind.TRAINING:
            del self.fields["days"]
            del self.fields["hours"]
        if kind != Kind.EXTENSION:
            del self.fields["months"]
        if kind in (Kind.CONTACTS, Kind.INTRODUCERS):
            self.fields["people"].queryset = people
            self.fields["people"].label = (
                _("Contacts (one or two full members)")
                if kind == Kind.CONTACTS
                else _("Introducers (two full members)")
            )
        else:
            del self.fields["people"]
        self.fields["on"].label = {
            Kind.TRAINING: _("Last day of the training"),
            Kind.EXTENSION: _("Date of the decision to extend"),
        }.get(kind, _("Date"))

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "hours": data.get("hours"),
            "days": data.get("days"),
            "months": data.get("months"),
            "people": list(data.get("people") or []),
            "notes": data.get("notes", ""),
            "override_reason": data.get("override_reason", ""),
        }


class RecordFilterForm(FilterForm):
    text = forms.CharField(label=_("Search by name"), required=False, max_length=40)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *DevelopmentRecord.Stage.choices], required=False
    )
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    id_fields = ("organization",)


class TodoFilterForm(FilterForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)
    what = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("", _("All steps")),
            *(
                (key, DUE_LABELS[key])
                for key in (Due.FIRST_TALK, Due.REVIEW, Due.APPROVAL, Due.PROBATION_END)
            ),
        ],
        required=False,
    )
    overdue_only = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["overdue_only"].widget.attrs["class"] = "form-check-input"

    id_fields = ("organization",)
