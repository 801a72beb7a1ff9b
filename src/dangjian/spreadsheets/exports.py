"""Exports of the lists a user can see: written from a scoped queryset, logged, sent as .xlsx."""

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from dangjian.spreadsheets.columns import SheetSpec
from dangjian.spreadsheets.models import ExportLog
from dangjian.spreadsheets.writer import write_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(
    *, user, spec: SheetSpec, rows: Iterable[Mapping[str, Any]], what: str, filters: dict
) -> HttpResponse:
    """The rows as an .xlsx download; the caller passes rows already filtered by visible_to."""
    rows = list(rows)
    content = write_rows(spec, rows, title=spec.name)
    with transaction.atomic():
        ExportLog.objects.create(user=user, what=what, filters=filters, rows=len(rows))
    return xlsx_response(content, f"{spec.name}-{timezone.localdate():%Y%m%d}.xlsx")


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    # RFC 6266/5987: the Chinese file name for browsers, an ASCII fallback for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"sheet.xlsx\"; filename*=UTF-8''{quote(file_name)}"
    )
    return response
