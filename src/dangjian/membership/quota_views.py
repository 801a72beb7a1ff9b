"""Pages for development quotas (发展党员指标): the table per year, one quota with its
allocations and admissions, allocating onward, the district's own total, and the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import sees_party_member_names
from dangjian.core.audit import timeline
from dangjian.membership import quotas
from dangjian.membership.quota_forms import AllocationForm, DistrictQuotaForm, QuotaYearForm
from dangjian.membership.quota_sheets import QUOTA_SHEET, quota_rows
from dangjian.spreadsheets.exports import export_xlsx


def _year(request, years) -> tuple[QuotaYearForm, int]:
    form = QuotaYearForm(request.GET or None, years=years)
    return form, form.filters().get("year") or timezone.localdate().year


@login_required
def quota_list(request):
    years = quotas.quota_years(request.user)
    form, year = _year(request, years)
    rows = list(quotas.quota_table(request.user, year=year))
    context = {
        "form": form,
        "year": year,
        "rows": rows,
        "may_set_district": quotas.may_allocate(request.user, None),
        "allocatable": {row.pk for row in rows if quotas.may_allocate(request.user, row)},
    }
    template = "membership/quota_list.html#results" if request.htmx else "membership/quota_list.html"
    return render(request, template, context)


@login_required
def quota_export(request):
    years = quotas.quota_years(request.user)
    _form, year = _year(request, years)
    return export_xlsx(
        user=request.user,
        spec=QUOTA_SHEET,
        rows=quota_rows(quotas.quota_table(request.user, year=year)),
        what="development_quotas",
        filters={"year": year},
    )


@login_required
def quota_detail(request, developmentquota_pk: int):
    quota = quotas.quota_detail(request.user, developmentquota_pk)
    party_work = sees_party_member_names(request.user)
    context = {
        "quota": quota,
        "allocations": quotas.allocations_of(request.user, quota),
        "uses": quotas.uses_of(request.user, quota)[:200] if party_work else None,
        "may_allocate": quotas.may_allocate(request.user, quota),
        "events": timeline(request.user, quota)[:50],
    }
    return render(request, "membership/quota_detail.html", context)


@login_required
def quota_allocate(request, developmentquota_pk: int):
    """Allocate units of this quota to a committee below (or change an allocation)."""
    giver = quotas.quota_detail(request.user, developmentquota_pk)
    if not quotas.may_allocate(request.user, giver):
        raise PermissionDenied
    committees = quotas.committees_to_allocate_to(request.user, giver)
    form = AllocationForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            quotas.allocate_quota(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                year=giver.year,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The development quota was allocated."))
            return redirect(reverse("membership:quota_detail", kwargs={"developmentquota_pk": giver.pk}))
    context = {"giver": giver, "form": form}
    return render(request, "membership/quota_form.html", context)


@login_required
def quota_district(request):
    """The district's own total for a year (district administrators)."""
    if not quotas.may_allocate(request.user, None):
        raise PermissionDenied
    root = quotas.district_root()
    form = DistrictQuotaForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid() and root is not None:
        try:
            quota = quotas.allocate_quota(actor=request.user, organization=root, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The district's development quota was saved."))
            return redirect(reverse("membership:quota_list") + f"?year={quota.year}")
    return render(request, "membership/quota_form.html", {"giver": None, "form": form, "root": root})
