"""Forms of the care fund (关爱基金) pages. Amounts are typed in yuan and become integer fen here."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.care import fund, fund_queries, fund_rules
from dangjian.care.models import CareApplication, CareCategory, CareDocumentKind
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.regions.models import townships


class _Styled(Styled):
    unstyled_widgets = (forms.RadioSelect, forms.CheckboxInput)


class YuanField(forms.DecimalField):
    """An amount in yuan (two decimals at most), cleaned to integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("step", "0.01")

    def clean(self, value):
        amount = super().clean(value)
        if amount is None:
            return None
        fen = fund_rules.yuan_to_fen(amount)
        if fen <= 0:
            raise ValidationError(_("The amount must be more than zero."))
        return fen


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(category)s (up to %(cap)s yuan)") % {
            "category": obj.get_kind_display(),
            "cap": obj.cap_yuan,
        }


def _document_field_name(kind: str) -> str:
    return f"doc_{kind}"


class ApplicationForm(_Styled, forms.Form):
    """A worker's application: the unit (one of the worker's current employments), the category,
    the amount, what happened, and one file per document the chosen category requires (plus one
    more, optional)."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    category = CategoryChoiceField(label=_("Category"), queryset=CareCategory.objects.filter(active=True))
    amount = YuanField(label=_("Amount requested (yuan)"))
    reason = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Briefly: what happened, when, and what it costs you."),
    )
    doc_extra_kind = forms.ChoiceField(
        label=_("Another document (optional)"), choices=CareDocumentKind.choices, required=False
    )
    doc_extra = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, units=(), category: CareCategory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        chosen = self._chosen_category(category)
        self.required_kinds = list(chosen.required_documents) if chosen else []
        for kind in self.required_kinds:
            self.fields[_document_field_name(kind)] = forms.FileField(
                label=CareDocumentKind(kind).label,
                help_text=_("PDF, JPG or PNG, at most 10 MB."),
                widget=forms.ClearableFileInput(
                    attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}
                ),
            )
        self.fields["doc_extra"].widget.attrs.update(
            {"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}
        )
        if chosen is not None:
            self.fields["category"].initial = chosen.pk

    def _chosen_category(self, category):
        if self.is_bound:
            try:
                return self.fields["category"].clean(self.data.get("category"))
            except ValidationError:
                return category
        return category or self.fields["category"].queryset.first()

    def document_fields(self):
        return [self[_document_field_name(kind)] for kind in self.required_kinds]

    def clean(self):
        cleaned = super().clean()
        for kind in self.required_kinds:
            upload = cleaned.get(_document_field_name(kind))
            if upload is not None:
                try:
                    fund.document_type(upload)
                except ValidationError as error:
                    self.add_error(_document_field_name(kind), error)
        extra = cleaned.get("doc_extra")
        if extra is not None:
            try:
                fund.document_type(extra)
            except ValidationError as error:
                self.add_error("doc_extra", error)
        return cleaned

    def documents(self) -> list:
        """[(document kind, uploaded file)] as the service takes them."""
        chosen = [(kind, self.cleaned_data.get(_document_field_name(kind))) for kind in self.required_kinds]
        if self.cleaned_data.get("doc_extra"):
            chosen.append(
                (
                    self.cleaned_data.get("doc_extra_kind") or CareDocumentKind.OTHER,
                    self.cleaned_data["doc_extra"],
                )
            )
        return [(kind, upload) for kind, upload in chosen if upload is not None]


class PersonSearchForm(FilterForm):
    text = forms.CharField(label=_("Worker's name"), required=False, max_length=40)


class DocumentForm(_Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=CareDocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        fund.document_type(upload)
        return upload


class ReviewForm(_Styled, forms.Form):
    decision = forms.ChoiceField(
        label=_("Street review"),
        choices=[("pass", _("Pass to the committee")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(_Styled, forms.Form):
    decision = forms.ChoiceField(
        label=_("Committee decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    amount = YuanField(label=_("Amount approved (yuan)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(_Styled, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=60,
        help_text=_("Bank transfer or voucher number."),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ApplicationFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *CareApplication.Status.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CareCategory.objects.all(), required=False
    )
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        years = fund_queries.years_with_funds(user)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    id_fields = ("street", "category")


class ReportForm(FilterForm):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("year", _("Year")),
            ("category", _("Category")),
            ("street", _("Street/town")),
            ("job_type", _("Job type")),
        ],
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CareCategory.objects.all(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        years = fund_queries.years_with_funds(user)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    id_fields = ("category",)

    def filters(self) -> dict:
        values = super().filters()
        values["group_by"] = values.get("group_by") or "year"
        return values
