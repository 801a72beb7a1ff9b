from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.choices import JobType
from dangjian.core.validators import validate_id_number, validate_mobile
from dangjian.people.models import DisclosureFollowUp, Person
from dangjian.units.models import Unit


class RegistrationForm(forms.Form):
    """The worker's entry registration on a phone: large controls, the keyboard each field needs."""

    name = forms.CharField(label=_("Full name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("You log in with this number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(operating_status=Unit.OperatingStatus.OPERATING),
        error_messages={
            "required": _("Search for your unit and pick it from the list."),
            "invalid_choice": _("Search for your unit and pick it from the list."),
        },
    )
    job_type = forms.ChoiceField(label=_("Job type"), choices=[("", "—"), *JobType.choices])
    full_time = forms.TypedChoiceField(
        label=_("Full or part time"),
        choices=[("1", _("full time")), ("0", _("part time"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    start_date = forms.DateField(
        label=_("Date you started at this unit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    political_status = forms.ChoiceField(
        label=_("Political status"),
        choices=Person.PoliticalStatus.choices,
        initial=Person.PoliticalStatus.UNDISCLOSED,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-lg")
            else:
                widget.attrs.setdefault("class", "form-control form-control-lg")

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_confirm")
        if password and again and password != again:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

    def mark_errors(self):
        """Flag the fields in error for Bootstrap and screen readers (after services add errors too)."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_errors"

    def registration_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password_confirm")
        return data

    def picked_unit_pk(self):
        """The unit picked so far (to show it again after an error), from the submitted data."""
        value = self.data.get("unit") if self.is_bound else None
        return int(value) if value and str(value).isdigit() else None


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *DisclosureFollowUp.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def filters(self) -> dict:
        return {"status": self.cleaned_data["status"]} if self.is_valid() else {}


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
