"""Forms of the five-clears ledger: the table's filters, the as-of date, and the part editors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import Industry, JobType
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.people.models import Investor, Person
from dangjian.regions.models import townships
from dangjian.units.models import Unit


class LedgerFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    operating_status = forms.ChoiceField(
        label=_("Operating status"),
        choices=[("", _("All statuses")), *Unit.OperatingStatus.choices],
        required=False,
    )
    has_organization = forms.ChoiceField(
        label=_("Party organization"),
        choices=[("", _("With or without")), ("yes", _("Covered")), ("no", _("Not covered"))],
        required=False,
    )

    id_fields = ("street",)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].widget.attrs.update({"class": "form-control form-control-sm"})

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day > timezone.localdate():
            raise ValidationError(_("The ledger cannot be shown as of a future date."))
        return day

    def day(self):
        """The past day asked for, or None for today's ledger (also when the input is invalid)."""
        if not self.is_valid():
            return None
        day = self.cleaned_data.get("as_of")
        return day if day and day < timezone.localdate() else None


class OperationsForm(Styled, forms.Form):
    operating_status = forms.ChoiceField(label=_("Operating status"), choices=Unit.OperatingStatus.choices)
    business_scope = forms.CharField(
        label=_("Business scope"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_outlet_count = forms.IntegerField(
        label=_("Number of outlets (reported)"), required=False, min_value=0, max_value=1_000_000
    )
    platforms = forms.CharField(
        label=_("Platforms served"),
        required=False,
        max_length=200,
        help_text=_("e.g. Meituan, Ele.me; separate with commas."),
    )


class WorkforceReportForm(Styled, forms.Form):
    """One row per job type; rows left empty are not reported."""

    reported_on = forms.DateField(label=_("Reported on"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for job_type, label in JobType.choices:
            full = forms.IntegerField(label=_("Full time"), required=False, min_value=0, max_value=1_000_000)
            part = forms.IntegerField(label=_("Part time"), required=False, min_value=0, max_value=1_000_000)
            for field in (full, part):
                field.widget.attrs.update(
                    {
                        "class": "form-control form-control-sm",
                        "inputmode": "numeric",
                        "aria-label": format_lazy("{} · {}", label, field.label),
                    }
                )
            self.fields[f"full_{job_type}"] = full
            self.fields[f"part_{job_type}"] = part
            self.rows.append((label, f"full_{job_type}", f"part_{job_type}"))

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The report date cannot be later than today."))
        return day

    def clean(self):
        cleaned = super().clean()
        figures = {}
        for job_type in JobType.values:
            full, part = cleaned.get(f"full_{job_type}"), cleaned.get(f"part_{job_type}")
            if full is None and part is None:
                continue
            figures[job_type] = (full or 0, part or 0)
        if not figures and not self.errors:
            raise ValidationError(_("Enter at least one figure."))
        cleaned["figures"] = figures
        return cleaned

    def bound_rows(self):
        return [(label, self[full], self[part]) for label, full, part in self.rows]


class InvestorForm(Styled, forms.Form):
    """A new investor: the person is found by ID number (one person, one record) or created."""

    name = forms.CharField(label=_("Full name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=Person.PoliticalStatus.choices, required=False
    )
    role = forms.ChoiceField(label=_("Investor role"), choices=Investor.Role.choices)
    share_percent = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    representative_roles = forms.CharField(
        label=_("Representative roles"),
        required=False,
        max_length=200,
        help_text=_("e.g. deputy to the district people's congress, CPPCC member."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"
        self.fields["political_status"].initial = Person.PoliticalStatus.UNDISCLOSED


class InvestorEditForm(Styled, forms.Form):
    """An investor already linked: the person's identity is not changed here."""

    political_status = forms.ChoiceField(label=_("Political status"), choices=Person.PoliticalStatus.choices)
    role = forms.ChoiceField(label=_("Investor role"), choices=Investor.Role.choices)
    share_percent = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    representative_roles = forms.CharField(label=_("Representative roles"), required=False, max_length=200)


class InstructorForm(Styled, forms.Form):
    name = forms.CharField(label=_("Instructor's name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    dispatched_by = forms.ModelChoiceField(
        label=_("Dispatched by"), queryset=None, required=False, empty_label=_("(not recorded)")
    )
    start_date = forms.DateField(label=_("Start date"), widget=date_input())

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispatched_by"].queryset = organizations
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"


class EndInstructorForm(Styled, forms.Form):
    end_date = forms.DateField(
        label=_("End date"),
        widget=date_input(),
        help_text=_("The first day without the instructor."),
    )
