from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.organizations.queries import visible_organizations
from dangjian.people.queries import current_workers_by_job_type
from dangjian.spreadsheets.exports import export_xlsx, xlsx_response
from dangjian.spreadsheets.writer import write_template
from dangjian.units import queries
from dangjian.units.forms import UnitFilterForm
from dangjian.units.sheets import UNIT_SHEET, unit_rows


@login_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    units = queries.unit_list(request.user, **form.filters())
    page = page_of(request, units)
    template = "units/unit_list.html#results" if request.htmx else "units/unit_list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def unit_export(request):
    """The unit list as filtered on screen, as .xlsx: the user's scope only, logged."""
    form = UnitFilterForm(request.GET or None)
    filters = form.filters()
    units = queries.unit_list(request.user, **filters)
    return export_xlsx(
        user=request.user,
        spec=UNIT_SHEET,
        rows=unit_rows(units),
        what="units",
        filters={key: value for key, value in filters.items() if value},
    )


@login_required
def unit_template(request):
    """The empty import template: headers with notes, drop-downs and text-formatted code columns."""
    return xlsx_response(write_template(UNIT_SHEET), f"{UNIT_SHEET.name}-导入模板.xlsx")


@login_required
def units_without_street(request):
    page = page_of(request, queries.units_without_street(request.user))
    return render(request, "units/units_without_street.html", {"page": page})


@login_required
def unit_detail(request, unit_pk: int):
    unit = queries.unit_detail(request.user, unit_pk)
    context = {
        "unit": unit,
        "branches": queries.branches_of(request.user, unit),
        "organizations": visible_organizations(request.user).filter(covered_units=unit),
        "workforce": current_workers_by_job_type(request.user, units=[unit]),
        "events": timeline(request.user, unit)[:50],
    }
    return render(request, "units/unit_detail.html", context)
