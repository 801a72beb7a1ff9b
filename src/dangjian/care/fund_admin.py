"""The back office of the care fund and legal aid: the district edits categories (caps,
documents), eligibility rules, funds (budgets) and legal-aid centres. Applications, decisions
and payments are read-only here: they change only through the workflow."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dangjian.care import fund_rules
from dangjian.care.fund_forms import YuanField
from dangjian.care.models import (
    CareApplication,
    CareCategory,
    CareDecision,
    CareDocumentKind,
    CareEligibilityRule,
    CareFund,
    CarePayment,
    LegalAidCentre,
)
from dangjian.core.admin import LogAdmin, ScopedAdmin
from dangjian.core.audit import save_tracked


class CareCategoryForm(forms.ModelForm):
    # The model's fen field, typed in yuan (validation errors of the model land on it).
    cap_fen = YuanField(label=_("Cap (yuan)"))
    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=CareDocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CareCategory
        fields = ["kind", "cap_fen", "required_documents", "description", "source", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cap_fen"] = fund_rules.fen_to_yuan(self.instance.cap_fen)


@admin.register(CareCategory)
class CareCategoryAdmin(ScopedAdmin):
    form = CareCategoryForm
    list_display = ["kind", "cap_yuan", "active"]
    list_filter = ["active"]

    @admin.display(description=_("Cap (yuan)"))
    def cap_yuan(self, obj):
        return obj.cap_yuan


@admin.register(CareEligibilityRule)
class CareEligibilityRuleAdmin(ScopedAdmin):
    list_display = ["kind", "category", "months", "enabled"]
    list_editable = ["months", "enabled"]
    list_filter = ["kind", "category", "enabled"]


class CareFundForm(forms.ModelForm):
    # The model's fen field, typed in yuan: "not below what is committed" lands on it.
    budget_fen = YuanField(label=_("Budget (yuan)"))

    class Meta:
        model = CareFund
        fields = ["name", "committee", "year", "budget_fen", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["budget_fen"] = fund_rules.fen_to_yuan(self.instance.budget_fen)


@admin.register(CareFund)
class CareFundAdmin(ScopedAdmin):
    form = CareFundForm
    list_display = ["name", "committee", "year", "budget_yuan"]
    list_filter = ["year"]

    @admin.display(description=_("Budget (yuan)"))
    def budget_yuan(self, obj):
        return obj.budget_yuan

    def save_model(self, request, obj, form, change):
        # Validated again under the fund row's lock: the budget never drops below what is
        # approved or paid, even while an approval is being made.
        save_tracked(obj, actor=request.user, validate=True)


@admin.register(LegalAidCentre)
class LegalAidCentreAdmin(ScopedAdmin):
    list_display = ["name", "address", "phone", "active"]


@admin.register(CareApplication)
class CareApplicationAdmin(LogAdmin):
    list_display = ["person", "fund", "category", "amount_fen", "approved_fen", "status", "submitted_at"]
    list_filter = ["status", "category"]


@admin.register(CareDecision)
class CareDecisionAdmin(LogAdmin):
    list_display = ["application", "step", "outcome", "decided_by", "decided_at"]


@admin.register(CarePayment)
class CarePaymentAdmin(LogAdmin):
    list_display = ["application", "amount_fen", "paid_on", "reference", "recorded_by"]
