"""Import benchmark (issue 3, "Speed"): a 100,000-row entry-registration workbook, from upload to
committed, beside django-import-export 4.x and beside the floor; the export of the same rows beside
XlsxWriter alone; the import's peak memory; the same import on PostgreSQL.

    make bench-import                  # or: .venv/bin/python benchmarks/import_bench.py
    make bench-import BENCH_ARGS="--profile"      # also cProfile our import (var/bench/)
    .venv/bin/python benchmarks/import_bench.py --rows 2000 --slice 500 --no-doc   # a quick try

Every measured part runs in its own process (``workers.py``) on a fresh database: a temporary
``DANGJIAN_VAR_DIR`` migrated once and copied for each SQLite run; for PostgreSQL a database created
for the run and dropped after it (``BENCH_POSTGRES_URL``, default the local cluster as app_test).
Rewrites the "import" section of docs/BENCHMARKS.md; the last line printed is
``import: speedup=... floor_ratio=... export_ratio=... peak_mib=...``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import report

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
POSTGRES_URL = "postgres://app_test:app_test@127.0.0.1:5432/postgres"

TARGETS = {"speedup": 20.0, "floor_ratio": 4.0, "export_ratio": 1.5, "peak_mib": 1024.0}


class StepFailed(RuntimeError):
    pass


def run_step(name: str, env: dict, **arguments) -> dict:
    """Run one step of workers.py in a fresh process; its result is its last output line."""
    command = [PYTHON, str(HERE / "workers.py"), name, json.dumps(arguments)]
    done = subprocess.run(command, env=env, cwd=HERE.parent, capture_output=True, text=True)  # noqa: S603
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("RESULT "):
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-25:])
        raise StepFailed(f"step {name!r} failed (exit {done.returncode}):\n{tail}")
    return json.loads(lines[-1][len("RESULT ") :])


def base_env(var_dir: Path, database_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        DANGJIAN_VAR_DIR=str(var_dir),
        DANGJIAN_DEBUG="false",  # as in production: no query log
        DANGJIAN_LOG_LEVEL="WARNING",
        PYTHONHASHSEED="0",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def say(message: str) -> None:
    print(message, flush=True)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def create_postgres_database(url: str, name: str) -> str:
    """Create the run's database; returns the server version. Raises with the reason if it cannot."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            connection.execute(f'CREATE DATABASE "{name}"')
        except psycopg.errors.InsufficientPrivilege:
            user = urlsplit(url).username or "app_test"
            if os.geteuid() != 0:
                raise
            subprocess.run(  # noqa: S603
                ["su", "postgres", "-c", f"createdb -O {user} {name}"],  # noqa: S607
                check=True,
                capture_output=True,
            )
    return version


def drop_postgres_database(url: str, name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:  # noqa: BLE001 - cleanup only; say so and go on
        say(f"  (could not drop PostgreSQL database {name}: {error})")


def postgres_import(tmp: Path, xlsx: Path, data: dict) -> dict:
    url = os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL)
    name = f"dangjian_bench_{os.getpid()}"
    try:
        version = create_postgres_database(url, name)
    except Exception as error:  # noqa: BLE001 - an unreachable server is reported, not fatal
        return {"measured": False, "reason": f"{type(error).__name__}: {str(error).strip()[:200]}"}
    try:
        env = base_env(tmp / "var-postgres", _with_database(url, name))
        run_step("setup", env)
        result = run_step("ours", env, xlsx=str(xlsx), rows=data["rows"], members=data["members"])
        return {"measured": True, "server_version": version, **result}
    finally:
        drop_postgres_database(url, name)


# --- the run ---------------------------------------------------------------------------------------


def measure(args, tmp: Path) -> dict:
    figures: dict = {"rows": args.rows, "slice": args.slice}
    template = tmp / "var-template"

    say(f"generating {args.rows:,} registrations ...")
    data = run_step("generate", base_env(template), out_dir=str(tmp), rows=args.rows, slice_rows=args.slice)
    figures["data"] = data
    xlsx, slice_xlsx = tmp / "registrations.xlsx", tmp / "slice.xlsx"

    say("migrating a fresh SQLite database ...")
    run_step("setup", base_env(template))

    def fresh(name: str) -> Path:
        shutil.copytree(template, tmp / name)
        return tmp / name

    say("floor: python-calamine + sqlite3 executemany ...")
    figures["floor"] = run_step("floor", {**os.environ}, xlsx=str(xlsx), db_path=str(tmp / "floor.sqlite3"))
    say(f"  {figures['floor']['seconds']:.2f} s")

    say("ours: preview + commit (SQLite) ...")
    ours_dir = fresh("var-ours")
    figures["ours"] = run_step(
        "ours", base_env(ours_dir), xlsx=str(xlsx), rows=data["rows"], members=data["members"]
    )
    say(f"  {figures['ours']['seconds']:.2f} s, peak {figures['ours']['peak_mib']:.0f} MiB")

    say("export: ours vs XlsxWriter alone ...")
    figures["export"] = run_step("export", base_env(ours_dir), rows=data["rows"], repeats=args.repeats)
    say(f"  ours {figures['export']['ours_seconds']:.2f} s, alone {figures['export']['alone_seconds']:.2f} s")

    say(f"baseline: django-import-export on {data['slice_rows']:,} rows ...")
    figures["baseline"] = run_step(
        "baseline",
        base_env(fresh("var-baseline")),
        xlsx=str(slice_xlsx),
        rows=data["slice_rows"],
        members=data["slice_members"],
    )
    say(f"  {figures['baseline']['seconds']:.2f} s")

    if args.postgres:
        say("ours on PostgreSQL ...")
        figures["postgres"] = postgres_import(tmp, xlsx, data)
        pg = figures["postgres"]
        say(f"  {pg['seconds']:.2f} s" if pg["measured"] else f"  not measured: {pg['reason']}")
    else:
        figures["postgres"] = {"measured": False, "reason": "skipped (--no-postgres)"}

    if args.profile:
        say("profiling ours (cProfile) ...")
        out = report.ROOT / "var" / "bench" / "import-profile.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        profiled = run_step(
            "ours",
            base_env(fresh("var-profile")),
            xlsx=str(xlsx),
            rows=data["rows"],
            members=data["members"],
            profile=str(out),
        )
        figures["profile"] = {"path": str(out), "seconds": profiled["seconds"]}
        say(f"  {profiled['seconds']:.2f} s under cProfile; statistics in {out}")
    return figures


def ratios(f: dict) -> dict:
    ours, floor, base, export = f["ours"], f["floor"], f["baseline"], f["export"]
    per_row_baseline = base["seconds"] / base["employments"]
    return {
        "speedup": per_row_baseline * ours["employments"] / ours["seconds"],
        "floor_ratio": ours["seconds"] / floor["seconds"],
        "export_ratio": export["ours_seconds"] / export["alone_seconds"],
        "peak_mib": ours["peak_mib"],
        "writer_only_ratio": export["writer_only_seconds"] / export["alone_seconds"],
        "baseline_equivalent_seconds": per_row_baseline * ours["employments"],
    }


def _met(name: str, value: float) -> str:
    target = TARGETS[name]
    ok = value >= target if name == "speedup" else value <= target if name != "peak_mib" else value < target
    return "met" if ok else "**not met**"


def _per_row(seconds: float, rows: int) -> str:
    return f"{seconds / rows * 1e6:,.0f} µs/row"


def table(f: dict, r: dict) -> list[tuple[str, str, str, str]]:
    """(figure, measured, target, met) rows of the section's table."""
    ours, floor, base, export, pg = f["ours"], f["floor"], f["baseline"], f["export"], f["postgres"]
    n, s = f"{ours['employments']:,}", f"{base['employments']:,}"
    rows = [
        (
            "Our import, upload to committed (SQLite)",
            f"{ours['seconds']:.2f} s (preview {ours['preview_seconds']:.2f} s + commit "
            f"{ours['commit_seconds']:.2f} s; {_per_row(ours['seconds'], ours['employments'])})",
            "",
            "",
        ),
        (
            "django-import-export 4.x, default `import_data`",
            f"{base['seconds']:.2f} s for {s} rows ({_per_row(base['seconds'], base['employments'])}; "
            f"file load {base['load_seconds']:.2f} s) → {r['baseline_equivalent_seconds']:.0f} s for {n}",
            "",
            "",
        ),
        ("**Speedup** over django-import-export, per row", f"**{r['speedup']:.1f}x**", "≥ 20x", "speedup"),
        (
            "Floor: python-calamine read + sqlite3 `executemany`",
            f"{floor['seconds']:.2f} s (read {floor['read_seconds']:.2f} s + insert "
            f"{floor['insert_seconds']:.2f} s)",
            "",
            "",
        ),
        ("**Floor ratio** (ours / floor)", f"**{r['floor_ratio']:.1f}x**", "≤ 4x", "floor_ratio"),
        (
            "Our export to .xlsx: query, decrypt, mask, `write_rows`",
            f"{export['ours_seconds']:.2f} s (the query alone {export['query_seconds']:.2f} s; "
            f"`write_rows` on rows in memory {export['writer_only_seconds']:.2f} s)",
            "",
            "",
        ),
        ("XlsxWriter alone, the same cell values", f"{export['alone_seconds']:.2f} s", "", ""),
        (
            "**Export ratio** (ours / XlsxWriter alone)",
            f"**{r['export_ratio']:.2f}x** (`write_rows` alone: {r['writer_only_ratio']:.2f}x)",
            "≤ 1.5x",
            "export_ratio",
        ),
        (
            "**Peak memory** of our import process (VmHWM)",
            f"**{ours['peak_mib']:.0f} MiB**",
            "< 1024 MiB",
            "peak_mib",
        ),
    ]
    if pg["measured"]:
        measured = (
            f"{pg['seconds']:.2f} s (preview {pg['preview_seconds']:.2f} s + commit "
            f"{pg['commit_seconds']:.2f} s; {pg['employments'] / pg['seconds']:,.0f} rows/s; "
            f"peak {pg['peak_mib']:.0f} MiB)"
        )
        rows.append((f"Same import on PostgreSQL {pg['server_version']}", measured, "reported", ""))
    else:
        rows.append(("Same import on PostgreSQL", f"not measured: {pg['reason']}", "reported", ""))
    return [(a, b, c, _met(key, r[key]) if key else "") for a, b, c, key in rows]


PROSE = """
The rows: {n} distinct people (valid ID numbers with correct check characters, distinct mobiles),
14 columns under the sheet's own headers, one unit (named, with its credit code); job types about
45% riders, 25% couriers, 12% ride-hailing drivers, 8% truck drivers, 5% livestreamers, 5% other
(a few written with aliases: 骑手, 快递小哥); 57% full-time (专送 among them), 38% part-time (众包
among them), 5% blank; start dates 2016 to yesterday, {ended:,} rows with an end date; political
status mostly 群众 or blank, {members:,} party members ({share:.1f}%), each of whom gets a follow-up
(opened in bulk). Seeded, so every run imports the same file ({mib:.1f} MiB). The
baseline's {s} rows are the first {s} of the same rows, in a file of their own.

What each side does:

- **Ours**: `spreadsheets.imports.preview(kind="registration")` (read with python-calamine, header
  matching, per-cell conversion and validation, unit resolution, blind indexes, matching against
  the database, the checked rows kept encrypted on the `ImportJob`) then `imports.commit(job)` (the
  background task's body, run inline: decrypt, check again, one transaction of bulk inserts with
  history rows, encryption of ID numbers and mobiles, the follow-ups, an audit event), as a
  district administrator, into a freshly migrated database. Checked after the run: job `done`,
  {n} new rows, none rejected, {n} people, {n} employments, one follow-up per member.
- **django-import-export {version}** (`benchmarks/baseline_resource.py`): a `ModelResource` over
  `Employment`. Its `XLSX` format class loads the file into a tablib Dataset (openpyxl, read-only,
  as the admin does), then `import_data(dataset, dry_run=False)` on the default path: one
  transaction, a savepoint per row, the instance looked up by its import id (person, unit, start
  date), diffs on, `clean_model_instances = True`. `before_import_row` checks the ID number and
  mobile with the project's validators and creates (or updates) the `Person` through the model
  (its `save()` encrypts and computes the blind indexes); a `ForeignKeyWidget` finds the person by
  blind index and the unit by credit code; choice words are mapped by label and alias;
  `after_save_instance` opens a member's follow-up with the project's service. Timed: the import
  only, not the dry run (`dry_run=True`) the admin runs first, which its users wait for too (the
  admin's real cost is about twice this). Compared per row.
- **Floor**: python-calamine reading the same file into Python lists, then raw `sqlite3`
  `executemany` of the {n} × 14 values into a plain table of a fresh SQLite file (WAL,
  `synchronous=NORMAL`, as the app), one transaction. No validation, encryption or matching.
- **Export**: ours is `people.queries.registration_rows_for_export(user)` (one streamed query over
  Employment with Person and Unit, ID numbers and mobiles decrypted and masked as displayed) into
  `spreadsheets.writer.write_rows(REGISTRATION_SHEET, rows, title=...)`; the timed figure includes
  reading the rows from the database. XlsxWriter alone writes the same cell values, already in
  memory (choice labels, dates), `constant_memory`, `write_row` per row, with the engine's options
  (no formula, URL or number guessing in strings). Best of {repeats} runs each.
- **Peak memory**: VmHWM of the process that ran preview + commit, read when the commit returned
  (Django and all it loaded included).

Each measured part runs in its own process, one after the other, in the same run. Run with
`make bench-import` (PostgreSQL: the local cluster as app_test, or `BENCH_POSTGRES_URL`; when it
cannot be reached the figure says why; `BENCH_ARGS="--profile"` adds a cProfile of our import
to `var/bench/import-profile.txt`).
"""


def markdown(f: dict, r: dict, facts: dict) -> str:
    data = f["data"]
    lines = [
        f"## import — entry registration, {data['rows']:,} rows (`make bench-import`)",
        "",
        f"Run {report.today()} on: " + ", ".join(f"{k} {v}" for k, v in facts.items()) + ".",
        "",
        "| Figure | Measured | Target | |",
        "|---|---|---|---|",
        *("| " + " | ".join(row) + " |" for row in table(f, r)),
    ]
    prose = PROSE.format(
        n=f"{data['rows']:,}",
        s=f"{f['baseline']['employments']:,}",
        ended=data["with_end_date"],
        members=data["members"],
        share=data["members"] / data["rows"] * 100,
        mib=data["file_mib"],
        version=facts.get("django-import-export", ""),
        repeats=f["repeats"],
    )
    return "\n".join(lines) + "\n" + prose


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--slice", type=int, default=10_000, help="rows given to django-import-export")
    parser.add_argument("--repeats", type=int, default=2, help="export timings: best of this many")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--profile", action="store_true", help="also run our import under cProfile")
    parser.add_argument(
        "--no-doc", dest="doc", action="store_false", help="do not rewrite docs/BENCHMARKS.md"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    args = parser.parse_args(argv)
    args.slice = min(args.slice, args.rows)

    started = time.perf_counter()
    load_before = report.load_average()
    if load_before > (os.cpu_count() or 1) / 2:
        say(f"warning: the machine is busy (load {load_before:.1f}); the figures will be noisy")
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        figures = measure(args, tmp)
    except StepFailed as error:
        say(str(error))
        return 1
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    figures["repeats"] = args.repeats
    r = ratios(figures)
    facts = report.machine_facts(
        **report.versions(
            "Django", "django-import-export", "tablib", "openpyxl", "python-calamine", "XlsxWriter"
        ),
        **({"PostgreSQL": figures["postgres"]["server_version"]} if figures["postgres"]["measured"] else {}),
        **{"load average before/after": f"{load_before:.2f}/{report.load_average():.2f}"},
    )
    if args.doc:
        path = report.write_section("import", markdown(figures, r, facts))
        say(f"wrote {path.relative_to(report.ROOT)} (run took {time.perf_counter() - started:.0f} s)")
    pg = figures["postgres"]
    say(
        "targets: "
        + ", ".join(f"{k} {_met(k, r[k]).strip('*')}" for k in TARGETS)
        + (f"; PostgreSQL import {pg['seconds']:.2f} s" if pg["measured"] else f"; PostgreSQL {pg['reason']}")
    )
    say(
        f"import: speedup={r['speedup']:.1f} floor_ratio={r['floor_ratio']:.2f} "
        f"export_ratio={r['export_ratio']:.2f} peak_mib={r['peak_mib']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
