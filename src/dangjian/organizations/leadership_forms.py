"""Forms of the secretaries-and-leadership part: list filters, management posts, the decision log."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.choices import Industry
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.organizations.models import MajorDecision, ManagementPost, Organization
from dangjian.organizations.rules import BREACH, CHECKED_KINDS, CODES, MESSAGES, NOTICE
from dangjian.regions.models import townships


class _StreetFilter(FilterForm):
    id_fields = ("street",)


# Short names of the findings for the filter (the messages themselves carry numbers).
FINDING_LABELS = {
    "no_secretary": _("No secretary"),
    "committee_missing": _("Committee required"),
    "committee_too_large": _("Committee too large"),
    "committee_above_usual": _("Committee above the usual size"),
    "committee_posts_missing": _("Committee posts not filled"),
    "committee_below_threshold": _("Committee posts without enough members"),
    "too_many_deputies": _("Too many deputy secretaries"),
    "holders_not_full": _("Post held by a non-full member"),
    "no_members": _("No full members recorded"),
    "no_term": _("No term recorded"),
    "term_too_long": _("Term longer than the rule"),
    "term_expired": _("Re-election overdue"),
    "reelection_due": _("Re-election due soon"),
}
assert set(FINDING_LABELS) == set(MESSAGES)  # noqa: S101 - a finding without a label is a bug


class LeadershipFilterForm(_StreetFilter):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *[(k, v) for k, v in Organization.Kind.choices if k in CHECKED_KINDS]],
        required=False,
    )
    severity = forms.ChoiceField(
        label=_("Rule check"),
        choices=[("", _("Out of rule or to check")), (BREACH, _("Out of rule")), (NOTICE, _("To check"))],
        required=False,
    )
    code = forms.ChoiceField(
        label=_("Which rule"),
        choices=[("", _("All rules")), *[(code, FINDING_LABELS[code]) for code in CODES]],
        required=False,
    )


class CrossAppointmentFilterForm(_StreetFilter):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    crossed = forms.ChoiceField(
        label=_("Cross appointment"),
        choices=[
            ("", _("With or without")),
            ("yes", _("With cross appointment")),
            ("no", pgettext_lazy("cross appointment", "Without")),
        ],
        required=False,
    )


class ManagementPostForm(Styled, forms.Form):
    """A person already on record (working at the unit or on a covering committee), or someone
    new found by ID number (one person, one record) or created."""

    person = forms.ModelChoiceField(
        label=_("Person on record"),
        queryset=None,
        required=False,
        empty_label=_("(someone else: enter below)"),
        help_text=_("People working at the unit and committee members of the organizations covering it."),
    )
    name = forms.CharField(label=_("Full name"), max_length=40, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Management post"), choices=ManagementPost.Kind.choices)
    title = forms.CharField(
        label=_("Title in the unit"),
        max_length=40,
        required=False,
        help_text=_("As the unit calls it, if it differs from the post (e.g. 运营总监)."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=date_input())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not (cleaned.get("name", "").strip() and cleaned.get("id_number")):
            raise ValidationError(_("Choose a person on record, or enter the name and ID number."))
        return cleaned


class EndManagementPostForm(Styled, forms.Form):
    end_date = forms.DateField(
        label=_("End date"), widget=date_input(), help_text=_("The last day in the post.")
    )


class DecisionForm(Styled, forms.Form):
    organization = forms.ModelChoiceField(label=_("Party organization"), queryset=None)
    decided_on = forms.DateField(label=_("Date"), widget=date_input())
    matter = forms.CharField(
        label=_("Matter"),
        max_length=200,
        help_text=_("e.g. a restructuring, a change of pay or shifts, a large investment, a new outlet."),
    )
    opinion = forms.CharField(
        label=_("The organization's opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MajorDecision.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Outcome details"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
