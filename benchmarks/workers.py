"""The measured parts of the import benchmark, each run in its own process by ``import_bench.py``.

``python benchmarks/workers.py <step> <json arguments>``; the environment chooses the database
(``DANGJIAN_VAR_DIR``, ``DATABASE_URL``). Each step prints its result as the last line of its
output: ``RESULT {json}``. A step whose result is wrong (a job not done, rows missing) raises,
so the benchmark stops instead of reporting a figure for work that was not done.
"""

import gc
import io
import json
import os
import sys
import time
from pathlib import Path

BENCH_USERNAME = "bench_admin"
STEPS = {}


def step(function):
    STEPS[function.__name__] = function
    return function


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _django():
    import django

    django.setup()


def _fail(message: str):
    raise SystemExit(f"benchmark check failed: {message}")


# --- data and database ----------------------------------------------------------------------------


@step
def generate(out_dir: str, rows: int, slice_rows: int) -> dict:
    """The workbook of ``rows`` registrations and its first ``slice_rows`` rows as a second file."""
    _django()
    from django.utils import translation
    from registration_data import generate as make_rows
    from registration_data import mix_of, write_workbook

    from dangjian.people.sheets import REGISTRATION_SHEET

    keys = [c.key for c in REGISTRATION_SHEET.columns]
    expected = [
        "name",
        "id_number",
        "mobile",
        "ethnicity",
        "education",
        "household_registration",
        "residence",
        "unit_name",
        "unit_uscc",
        "job_type",
        "employment_form",
        "start_date",
        "end_date",
        "political_status",
    ]
    if keys != expected:
        _fail(f"REGISTRATION_SHEET's columns changed ({keys}); update benchmarks/registration_data.py")
    with translation.override("zh-hans"):
        labels = dict(REGISTRATION_SHEET.column("job_type").labelled_choices())
    if labels.get("rider") != "外卖骑手":
        _fail("the Chinese translations are not compiled (run `make messages`)")
    headers = [c.label for c in REGISTRATION_SHEET.columns]
    data = make_rows(rows)
    out = Path(out_dir)
    write_workbook(out / "registrations.xlsx", headers, data, sheet_name=REGISTRATION_SHEET.name)
    write_workbook(out / "slice.xlsx", headers, data[:slice_rows], sheet_name=REGISTRATION_SHEET.name)
    mix, slice_mix = mix_of(data), mix_of(data[:slice_rows])
    return {
        "rows": mix.rows,
        "members": mix.members,
        "with_end_date": mix.with_end_date,
        "slice_rows": slice_mix.rows,
        "slice_members": slice_mix.members,
        "columns": len(headers),
        "file_mib": (out / "registrations.xlsx").stat().st_size / 2**20,
    }


@step
def setup() -> dict:
    """Migrate a fresh database and add the minimal fixtures: a district, a street, the sheet's
    unit, a district administrator."""
    _django()
    from django.core.management import call_command
    from django.db import connection
    from registration_data import UNIT_NAME, unit_uscc

    from dangjian.accounts.models import Role, RoleAssignment, User
    from dangjian.core.audit import save_tracked
    from dangjian.core.choices import Industry
    from dangjian.regions.models import Region
    from dangjian.units.models import Unit
    from dangjian.units.services import save_unit

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    district = Region(name="龙华区", kind=Region.Kind.DISTRICT)
    save_tracked(district, actor=None)
    street = Region(name="中山街道", kind=Region.Kind.STREET, parent=district)
    save_tracked(street, actor=None)
    save_unit(
        actor=None,
        unit=Unit(
            name=UNIT_NAME,
            kind=Unit.Kind.HEAD_COMPANY,
            industry=Industry.FOOD_DELIVERY,
            uscc=unit_uscc(),
            street=street,
        ),
    )
    user = User.objects.create_user(username=BENCH_USERNAME, password=None, first_name="基准测试")
    RoleAssignment.objects.create(user=user, role=Role.DISTRICT_ADMIN, region=district)
    connection.close()
    return {"seconds": time.perf_counter() - started, "vendor": connection.vendor}


# --- the floor --------------------------------------------------------------------------------------


@step
def floor(xlsx: str, db_path: str) -> dict:
    """python-calamine reading the workbook into Python lists, then raw sqlite3 ``executemany`` of
    the rows into a plain 14-column table of a fresh SQLite file (the app's pragmas), one
    transaction. The table is created before the clock starts (the app's schema exists too)."""
    import datetime
    import sqlite3

    from python_calamine import CalamineWorkbook

    sqlite3.register_adapter(datetime.date, datetime.date.isoformat)  # Python's own default, explicit
    data = Path(xlsx).read_bytes()
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    columns = ", ".join(f"c{i}" for i in range(14))
    connection.execute(f"CREATE TABLE registration ({columns})")
    insert = f"INSERT INTO registration VALUES ({', '.join('?' * 14)})"  # noqa: S608 - constant text
    gc.collect()

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    rows = grid[1:]
    read = time.perf_counter()
    connection.execute("BEGIN")
    connection.executemany(insert, rows)
    connection.execute("COMMIT")
    finished = time.perf_counter()

    count = connection.execute("SELECT count(*) FROM registration").fetchone()[0]
    if count != len(rows):
        _fail(f"floor inserted {count} rows of {len(rows)}")
    connection.close()
    return {
        "seconds": finished - started,
        "read_seconds": read - started,
        "insert_seconds": finished - read,
        "rows": count,
    }


# --- ours -------------------------------------------------------------------------------------------


@step
def ours(xlsx: str, rows: int, members: int, profile: str = "") -> dict:
    """The project's import from upload to committed: ``preview()`` then ``commit()`` (the body of
    the background task, run inline), as the district administrator, into the fresh database."""
    _django()
    from django.db import connection

    from dangjian.accounts.models import User
    from dangjian.people.models import DisclosureFollowUp, Employment, Person
    from dangjian.spreadsheets import imports
    from dangjian.spreadsheets.models import ImportJob

    user = User.objects.get(username=BENCH_USERNAME)
    data = Path(xlsx).read_bytes()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    gc.collect()

    started = time.perf_counter()
    if profiler:
        profiler.enable()
    job = imports.preview(user=user, kind="registration", file_name="入职登记.xlsx", data=data, context={})
    previewed = time.perf_counter()
    imports.commit(job)
    if profiler:
        profiler.disable()
    finished = time.perf_counter()
    peak = peak_rss_mib()

    job = ImportJob.objects.get(pk=job.pk)
    if job.status != ImportJob.Status.DONE:
        _fail(f"import job {job.pk} ended {job.status} ({job.error}); problems: {job.problems}")
    counts = {
        "total_rows": job.total_rows,
        "new_rows": job.new_rows,
        "rejected_rows": job.rejected_rows,
        "people": Person.objects.count(),
        "employments": Employment.objects.count(),
        "follow_ups": DisclosureFollowUp.objects.count(),
    }
    wanted = {
        "total_rows": rows,
        "new_rows": rows,
        "rejected_rows": 0,
        "people": rows,
        "employments": rows,
        "follow_ups": members,
    }
    if counts != wanted:
        _fail(
            f"import counts {counts}, expected {wanted}; first problems: {job.problems.get('rows', [])[:5]}"
        )
    if profiler:
        import pstats

        profiler.dump_stats(profile + ".prof")  # for pstats / snakeviz
        with open(profile, "w", encoding="utf-8") as out:
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
    result = {
        "seconds": finished - started,
        "preview_seconds": previewed - started,
        "commit_seconds": finished - previewed,
        "peak_mib": peak,
        "vendor": connection.vendor,
        **counts,
    }
    connection.close()
    return result


# --- the export ---------------------------------------------------------------------------------------


@step
def export(rows: int, repeats: int = 2) -> dict:
    """The export of the imported rows: ours (the registration-rows query, decrypting and masking,
    streamed into the engine's ``write_rows``) beside XlsxWriter alone writing the same cell values
    (already in memory) with ``constant_memory`` and ``write_row`` per row. Best of ``repeats``."""
    _django()
    from django.db import connection
    from django.utils import translation
    from python_calamine import CalamineWorkbook
    from xlsxwriter import Workbook

    from dangjian.accounts.models import User
    from dangjian.people.queries import registration_rows_for_export
    from dangjian.people.sheets import REGISTRATION_SHEET as spec
    from dangjian.spreadsheets.writer import write_rows

    user = User.objects.get(username=BENCH_USERNAME)
    keys = [c.key for c in spec.columns]
    headers = [c.label for c in spec.columns]

    def xlsxwriter_alone(values: list[list]) -> bytes:
        buffer = io.BytesIO()
        # The engine's own options (no formula, URL or number guessing in strings): the fastest setup.
        workbook = Workbook(
            buffer,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        ws = workbook.add_worksheet(spec.name)
        ws.write_row(0, 0, headers)
        for number, row in enumerate(values, start=1):
            ws.write_row(number, 0, row)
        workbook.close()
        return buffer.getvalue()

    def timed(function, *args):
        best, result = float("inf"), None
        for _ in range(repeats):
            gc.collect()
            started = time.perf_counter()
            result = function(*args)
            best = min(best, time.perf_counter() - started)
        return best, result

    with translation.override("zh-hans"):
        records = list(registration_rows_for_export(user))  # for the two sides that start in memory
        labels = {c.key: dict(c.labelled_choices()) for c in spec.columns if c.choices}
        values = [[labels[k].get(r[k]) if k in labels else r[k] for k in keys] for r in records]

        alone_seconds, alone_file = timed(xlsxwriter_alone, values)
        ours_seconds, ours_file = timed(
            lambda: write_rows(spec, registration_rows_for_export(user), title=spec.name)
        )
        writer_seconds, _ = timed(lambda: write_rows(spec, records, title=spec.name))
        query_seconds, _ = timed(lambda: sum(1 for _ in registration_rows_for_export(user)))

    def data_rows(content: bytes) -> int:
        grid = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
        return sum(1 for row in grid if any(cell not in ("", None) for cell in row))

    written = {"ours": data_rows(ours_file) - 2, "alone": data_rows(alone_file) - 1}  # title, header
    if written != {"ours": rows, "alone": rows} or len(records) != rows:
        _fail(f"export wrote {written} rows of {rows} (query gave {len(records)})")
    connection.close()
    return {
        "ours_seconds": ours_seconds,
        "alone_seconds": alone_seconds,
        "writer_only_seconds": writer_seconds,
        "query_seconds": query_seconds,
        "ours_mib": len(ours_file) / 2**20,
        "alone_mib": len(alone_file) / 2**20,
        "rows": rows,
        "peak_mib": peak_rss_mib(),
    }


# --- the baseline ------------------------------------------------------------------------------------


@step
def baseline(xlsx: str, rows: int, members: int) -> dict:
    """django-import-export 4.x: its XLSX format class loads the file into a tablib Dataset (openpyxl,
    as the admin does), then ``RegistrationResource().import_data(dataset, dry_run=False)``."""
    _django()
    from baseline_resource import RegistrationResource
    from django.db import connection
    from import_export.formats.base_formats import XLSX

    from dangjian.accounts.models import User
    from dangjian.people.models import DisclosureFollowUp, Employment, Person

    user = User.objects.get(username=BENCH_USERNAME)
    data = Path(xlsx).read_bytes()
    gc.collect()

    started = time.perf_counter()
    dataset = XLSX().create_dataset(data)
    loaded = time.perf_counter()
    result = RegistrationResource(user=user).import_data(dataset, dry_run=False)
    finished = time.perf_counter()
    peak = peak_rss_mib()

    if result.has_errors() or result.has_validation_errors():
        errors = [error.error for _, row_errors in result.row_errors()[:3] for error in row_errors]
        invalid = [str(row.error)[:300] for row in result.invalid_rows[:3]]
        _fail(f"django-import-export refused rows: {errors or invalid}")
    counts = {
        "new": result.totals["new"],
        "people": Person.objects.count(),
        "employments": Employment.objects.count(),
        "follow_ups": DisclosureFollowUp.objects.count(),
    }
    wanted = {"new": rows, "people": rows, "employments": rows, "follow_ups": members}
    if counts != wanted:
        _fail(f"django-import-export counts {counts}, expected {wanted}")
    connection.close()
    return {
        "seconds": finished - started,
        "load_seconds": loaded - started,
        "import_seconds": finished - loaded,
        "peak_mib": peak,
        **counts,
    }


if __name__ == "__main__":
    name, arguments = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    outcome = STEPS[name](**arguments)
    print("RESULT " + json.dumps(outcome), flush=True)
