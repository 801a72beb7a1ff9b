"""The import pipeline every ledger uses: upload, preview, commit in the background.

1. ``preview()`` reads the upload with the reader, lets the ledger's ``Importer`` check each row
   against the database (matching, scope, duplicates) and counts new / changed / unchanged /
   rejected rows. The checked rows are kept, encrypted, on the ``ImportJob`` (the file itself is
   not kept), so the commit applies exactly what was previewed without reading the file again,
   and the rejected rows can be downloaded as a spreadsheet with an error column.
2. ``enqueue_commit()`` queues ``commit()`` as a background task. ``commit()`` checks the rows
   again (the database may have changed since the preview) and applies them in ONE transaction:
   a failure part-way leaves the database as it was. Progress goes to the cache, not the
   database, because the database is inside that transaction (and SQLite has one writer).
3. Importers upsert: a row equal to what is stored changes nothing, so importing the same file
   twice changes nothing the second time.

An importer declares its ``SheetSpec`` once; the template, the reader and the error report use it.
"""

import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from dangjian.core.crypto import decrypt_bytes, encrypt_bytes
from dangjian.core.rules import rule_value

from .columns import Kind, SheetSpec
from .models import ImportJob
from .reader import CellError, ParsedRow, read_sheet
from .writer import write_error_report

logger = logging.getLogger(__name__)

# Shown on the preview page; the full list is in the downloadable error report.
PREVIEW_PROBLEMS = 200
PROGRESS_TIMEOUT = 24 * 3600

Progress = Callable[[int], None]


@dataclass
class Plan:
    """What a commit would do: the importer's own work list plus the counts shown to the user."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    work: object = None  # the importer's own description of the writes
    total: int = 0  # how many writes ``apply`` will report progress against


class Importer:
    """One ledger's import. Subclasses set ``kind``, ``title``, ``spec`` and implement the two steps.

    ``check`` must not write. It appends a ``CellError`` to each row it refuses (row number,
    column header, reason in Chinese) and plans the rest. ``apply`` performs the plan inside
    the transaction ``commit`` opens, calling ``progress(n)`` as writes are done.
    """

    kind: str = ""
    title = ""
    spec: SheetSpec

    def allowed(self, user) -> bool:
        raise NotImplementedError

    def check(self, rows: list[ParsedRow], *, user, context: dict) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, *, user, job: ImportJob, progress: Progress) -> None:
        raise NotImplementedError


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    """The registered importer; the apps register theirs when they are ready (apps.py)."""
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(f"no importer {kind!r}") from None


def importers_for(user) -> list[Importer]:
    return [importer for importer in _IMPORTERS.values() if importer.allowed(user)]


# --- keeping checked rows between preview and commit ------------------------------------------


def _encode(spec: SheetSpec, valid: list[ParsedRow], rejected: list[ParsedRow]) -> bytes:
    keys = [column.key for column in spec.columns]
    payload = {
        "keys": keys,
        "valid": [[row.row, *(row.values.get(key) for key in keys)] for row in valid],
        "rejected": [
            [row.row, {k: v for k, v in (row.raw or row.values).items() if v is not None}, _messages(row)]
            for row in rejected
        ],
    }
    # Dates and decimals become text; the spec says which columns to turn back (_decode).
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return encrypt_bytes(text.encode("utf-8"))


def _json_default(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _decode(spec: SheetSpec, blob: bytes) -> tuple[list[ParsedRow], list[tuple[int, dict, list[str]]]]:
    payload = json.loads(decrypt_bytes(bytes(blob)).decode("utf-8"))
    keys = payload["keys"]
    # JSON has no dates or decimals: they travel as text and are turned back here.
    decoders = {Kind.DATE: datetime.date.fromisoformat, Kind.DECIMAL: Decimal}
    typed = [
        (i, decoders[spec.column(key).kind])
        for i, key in enumerate(keys)
        if spec.column(key).kind in decoders
    ]
    valid = []
    for number, *values in payload["valid"]:
        for i, decode in typed:
            if values[i] is not None:
                values[i] = decode(values[i])
        valid.append(ParsedRow(number, dict(zip(keys, values, strict=True))))
    return valid, [tuple(entry) for entry in payload["rejected"]]


def _messages(row: ParsedRow) -> list[str]:
    return [f"{error.column}：{error.message}" if error.column else error.message for error in row.errors]


def _problem(error: CellError) -> dict:
    return {"row": error.row, "column": error.column, "message": error.message}


# --- the three steps ----------------------------------------------------------------------------


def preview(*, user, kind: str, file_name: str, data: bytes, context: dict | None = None) -> ImportJob:
    """Read and check an upload; nothing is imported yet. Returns the saved ``ImportJob``."""
    importer = importer_for(kind)
    if not importer.allowed(user):
        raise PermissionError(kind)
    expire_stale_uploads()
    context = context or {}
    job = ImportJob(kind=kind, user=user, file_name=file_name[:200], context=context)
    with translation.override("zh-hans"):  # choice labels are matched in Chinese, as sheets hold them
        result = read_sheet(file_name, data, importer.spec)
        if result.file_errors:
            job.status = ImportJob.Status.FAILED
            job.problems = {"file": result.file_errors}
            job.save()
            return job
        valid = result.valid_rows
        plan = importer.check(valid, user=user, context=context)
    # Rows the reader refused and rows the importer's check refused.
    rejected = result.rejected_rows
    valid = [row for row in valid if not row.errors]
    job.total_rows = len(result.rows)
    _set_counts(job, plan, len(rejected))
    job.problems = {
        "rows": [_problem(error) for row in rejected for error in row.errors][:PREVIEW_PROBLEMS],
        "ignored_headers": result.ignored_headers,
        "header_row": result.header_row,
        "sheet": result.sheet_name,
    }
    job.payload = _encode(importer.spec, valid, rejected)
    job.save()
    return job


def _set_counts(job: ImportJob, plan: Plan, rejected: int) -> None:
    job.new_rows, job.changed_rows, job.unchanged_rows = plan.new, plan.changed, plan.unchanged
    job.rejected_rows = rejected


def can_commit(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.PREVIEWED and bool(job.new_rows or job.changed_rows)


def enqueue_commit(*, user, job: ImportJob) -> None:
    """Queue the commit; the job's owner only, once."""
    from .tasks import commit_import

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk, user=user)
        if not can_commit(job):
            return
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["status"])
        set_progress(job, 0, 0)
        transaction.on_commit(lambda: commit_import.enqueue(job.pk))


def commit(job: ImportJob) -> None:
    """Apply a previewed job, all or nothing (the body of the background task)."""
    importer = importer_for(job.kind)
    user = job.user
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        with translation.override("zh-hans"):
            valid, rejected = _decode(importer.spec, job.payload)
            with transaction.atomic():
                # Checked again inside the transaction: the database may have changed since the preview.
                plan = importer.check(valid, user=user, context=job.context)
                newly_rejected = [row for row in valid if row.errors]
                set_progress(job, 0, plan.total)
                done = 0

                def progress(n: int) -> None:
                    nonlocal done
                    done += n
                    set_progress(job, done, plan.total)

                importer.apply(plan, user=user, job=job, progress=progress)
    except Exception as error:  # noqa: BLE001 - any failure must mark the job, and nothing stays written
        logger.exception("import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=type(error).__name__, finished_at=timezone.now()
        )
        return
    all_rejected = _merge(rejected, newly_rejected)
    job.status = ImportJob.Status.DONE
    _set_counts(job, plan, len(all_rejected))
    job.problems = {
        **job.problems,
        "rows": [_problem(error) for row in all_rejected for error in row.errors][:PREVIEW_PROBLEMS],
    }
    # The imported rows are in the database now; only the rejected ones are kept, for the report.
    job.payload = _encode(importer.spec, [], all_rejected)
    job.finished_at = timezone.now()
    job.save()


def _merge(rejected: list[tuple[int, dict, list[str]]], more: list[ParsedRow]) -> list[ParsedRow]:
    """The preview's rejected rows (as stored) and the rows the commit's check refused, in row order."""
    kept = [
        ParsedRow(number, {}, [CellError(number, "", m) for m in messages], raw=values)
        for number, values, messages in rejected
    ]
    return sorted(kept + more, key=lambda r: r.row)


def discard(*, user, job: ImportJob) -> None:
    """Drop a previewed upload: its rows (personal data) are not kept."""
    ImportJob.objects.filter(pk=job.pk, user=user, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.DISCARDED, payload=b""
    )


def expire_stale_uploads() -> None:
    """Drop the rows kept for uploads older than the retention rule: previews never confirmed are
    discarded, finished imports lose their rejected rows (the counts stay)."""
    days = rule_value("import-upload-retention-days")
    if days is None:
        return
    stale = ImportJob.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days)).exclude(
        payload=b""
    )
    stale.filter(status=ImportJob.Status.PREVIEWED).update(status=ImportJob.Status.DISCARDED, payload=b"")
    stale.filter(status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).update(payload=b"")


def error_report(job: ImportJob) -> bytes:
    """The rejected rows as read, with an error column, ready to fix and upload again."""
    importer = importer_for(job.kind)
    if not job.payload:
        raise LookupError("the rows of this upload were deleted after the retention period")
    _, rejected = _decode(importer.spec, job.payload)
    return write_error_report(importer.spec, ((values, messages) for _, values, messages in rejected))


# --- progress -------------------------------------------------------------------------------------


def _progress_key(job: ImportJob) -> str:
    return f"import-progress:{job.pk}"


def set_progress(job: ImportJob, done: int, total: int) -> None:
    cache.set(_progress_key(job), (done, total), PROGRESS_TIMEOUT)


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(writes done, writes planned); (0, 0) before the commit has counted its work."""
    return cache.get(_progress_key(job), (0, 0))
