"""The members' share page (党员占比): by street, industry, job type and unit, month by month,
with investors and managers in the development pipeline; and its export."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import FilterForm
from dangjian.membership import share
from dangjian.membership.share_sheets import SHARE_SHEET, share_rows
from dangjian.spreadsheets.exports import export_xlsx

UNITS_SHOWN = 100


class ShareForm(FilterForm):
    months = forms.TypedChoiceField(
        label=_("Months"), coerce=int, required=False, choices=[(12, 12), (24, 24), (36, 36)]
    )


@login_required
def share_page(request):
    form = ShareForm(request.GET or None)
    months = form.filters().get("months") or 12
    today = timezone.localdate()
    user = request.user
    total = share.share_total(user, today=today)
    by = {
        "street": share.share_by(user, "street", today=today),
        "industry": share.share_by(user, "industry", today=today),
        "job_type": share.share_by(user, "job_type", today=today),
    }
    units = share.share_by(user, "unit", today=today, limit=UNITS_SHOWN)
    trend = share.trend(user, today=today, months=months)
    context = {
        "form": form,
        "today": today,
        "total": total,
        "tables": [(share.DIMENSIONS[key][0], rows) for key, rows in by.items()],
        "units": units,
        "units_shown": UNITS_SHOWN,
        "trend": trend,
        "recruits": share.recruits(user, today=today),
        "chart": share.chart_data(total, by, trend),
    }
    return render(request, "membership/share.html", context)


@login_required
def share_export(request):
    today = timezone.localdate()
    return export_xlsx(
        user=request.user,
        spec=SHARE_SHEET,
        rows=share_rows(request.user, today=today),
        what="members_share",
        filters={"day": today.isoformat()},
    )
