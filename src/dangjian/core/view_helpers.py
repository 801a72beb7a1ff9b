"""Pieces the thin views of every app share: a filtered list with its export, and a form whose
valid data goes to a service.

The list pages filter with a FilterForm from the query string; the export of a list writes what
the page shows (the same form, the same scoped query) so the two can never disagree.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import render

from dangjian.spreadsheets.columns import SheetSpec
from dangjian.spreadsheets.exports import export_xlsx


def filtered(request, form_class, query: Callable[..., Any], **form_kwargs):
    """(form, filters, rows): the filter form bound to the query string, its filters, and
    ``query(request.user, **filters)``, the scoped rows."""
    form = form_class(request.GET or None, **form_kwargs)
    filters = form.filters()
    return form, filters, query(request.user, **filters)


def render_list(request, template: str, context: dict):
    """A list page; for htmx (the filter bar changed), only the template's ``results`` partial."""
    return render(request, f"{template}#results" if request.htmx else template, context)


def export_filtered(request, *, spec: SheetSpec, rows, what: str, filters: dict):
    """The rows of a filtered list as .xlsx (see export_xlsx); the export log keeps the filters
    that were set, not the empty ones."""
    return export_xlsx(
        user=request.user,
        spec=spec,
        rows=rows,
        what=what,
        filters={key: value for key, value in filters.items() if value},
    )


def add_service_errors(form, error: ValidationError) -> None:
    """A service's validation errors on the form's fields where they have one, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(form, action: Callable[[dict], Any]) -> tuple[bool, Any]:
    """(True, what the service returned) when the form is valid and ``action(cleaned_data)``
    succeeds; (False, None) otherwise, the service's refusal shown above the form."""
    if not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False, None
