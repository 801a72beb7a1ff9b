"""Coverage pages (measure 4): the coverage list (the charts' drill-down target) and its export,
the campaign's progress page and the map of units by coverage status."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from dangjian.core.paging import page_of
from dangjian.coverage import coverage_map, progress, queries
from dangjian.coverage.status_forms import CoverageFilterForm, MapFilterForm, ProgressFilterForm
from dangjian.coverage.status_sheets import COVERAGE_SHEET, PROGRESS_SHEET, coverage_rows
from dangjian.spreadsheets.exports import export_xlsx

PAGE_SIZE = 50


def _logged(filters: dict) -> dict:
    return {key: value for key, value in filters.items() if value not in ("", None)}


@login_required
def coverage_list(request):
    form = CoverageFilterForm(request.GET or None)
    rows = queries.CoverageRows(queries.coverage_list(request.user, **form.filters()))
    page = page_of(request, rows, PAGE_SIZE)
    template = "coverage/coverage_list.html#results" if request.htmx else "coverage/coverage_list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def coverage_export(request):
    """The coverage list as filtered on screen, as .xlsx: the user's scope only, logged."""
    form = CoverageFilterForm(request.GET or None)
    filters = form.filters()
    units = queries.coverage_list(request.user, **filters)
    return export_xlsx(
        user=request.user,
        spec=COVERAGE_SHEET,
        rows=coverage_rows(units),
        what="coverage",
        filters=_logged(filters),
    )


@login_required
def progress_page(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters() or {"dimension": "street"}
    result = progress.progress(request.user, **filters)
    context = {
        "form": form,
        "result": result,
        "chart": progress.chart_data(result),
        "months_table": progress.month_table(result),
    }
    return render(request, "coverage/progress.html", context)


@login_required
def progress_export(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.filters() or {"dimension": "street"}
    result = progress.progress(request.user, **filters)
    return export_xlsx(
        user=request.user,
        spec=PROGRESS_SHEET,
        rows=progress.export_rows(result),
        what="coverage-progress",
        filters=_logged(filters),
    )


@login_required
def map_page(request):
    form = MapFilterForm(request.GET or None)
    context = {
        "form": form,
        "config": {
            "points_url": reverse("coverage:map_points"),
            "unit_url": reverse("units:detail", kwargs={"unit_pk": 0}),
            "tile_url": settings.MAP_TILE_URL,
            "background": coverage_map.background(request.user),
            "text": coverage_map.legend_text(),
        },
    }
    return render(request, "coverage/map.html", context)


@login_required
def map_points(request):
    """The scoped points (or clusters) in the requested box, as JSON for static/js/coverage_map.js."""
    form = MapFilterForm(request.GET or None)
    bbox = coverage_map.parse_bbox(request.GET.get("bbox", ""))
    return JsonResponse(coverage_map.points(request.user, bbox=bbox, **form.filters()))
