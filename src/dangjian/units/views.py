from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.core.paging import page_of
from dangjian.core.view_helpers import export_filtered, filtered, render_list
from dangjian.spreadsheets.exports import xlsx_response
from dangjian.spreadsheets.writer import write_template
from dangjian.units import queries
from dangjian.units.forms import UnitFilterForm
from dangjian.units.ledger import editable_parts, end_of_day, five_clears, ledger_timeline
from dangjian.units.ledger_forms import AsOfForm
from dangjian.units.sheets import UNIT_SHEET, unit_rows


@login_required
def unit_list(request):
    form, _filters, units = filtered(request, UnitFilterForm, queries.unit_list)
    return render_list(request, "units/unit_list.html", {"form": form, "page": page_of(request, units)})


@login_required
def unit_export(request):
    """The unit list as filtered on screen, as .xlsx: the user's scope only, logged."""
    _form, filters, units = filtered(request, UnitFilterForm, queries.unit_list)
    return export_filtered(request, spec=UNIT_SHEET, rows=unit_rows(units), what="units", filters=filters)


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
    """The unit and its five-clears ledger, today or as it stood at the end of ``?as_of=`` (a past
    day: shown read-only, with the timeline up to that day)."""
    unit = queries.unit_detail(request.user, unit_pk)
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.day()
    context = {
        "unit": unit,
        "branches": queries.branches_of(request.user, unit),
        "ledger": five_clears(unit, request.user, as_of=as_of),
        "as_of": as_of,
        "as_of_form": as_of_form,
        "editable": set() if as_of else editable_parts(request.user, unit),
        "events": ledger_timeline(request.user, unit, before=end_of_day(as_of) if as_of else None),
    }
    return render(request, "units/unit_detail.html", context)
