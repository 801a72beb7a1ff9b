"""What every benchmark shares: the machine's facts and its section of docs/BENCHMARKS.md."""

import datetime
import os
import platform
import re
import sqlite3
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"

INTRO = """# Benchmarks

Each benchmark is a make target, `make bench-<name>` (the script `benchmarks/<name>_bench.py`),
that measures a figure and its baseline side by side in one run, rewrites its own section below
(the date, the machine, the figures, the targets, met or not) and prints as its last line
`<name>: key=value ...`. The baselines are the real things a user would otherwise run, installed
as dev dependencies (`pip install -e ".[dev]"`), never imitations. Benchmarks are not tests: they
are not under `tests/` and `make test` does not run them. Numbers depend on the machine; compare
figures measured in the same run.
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "?"


def versions(*packages: str) -> dict[str, str]:
    found = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def machine_facts(**extra: str) -> dict[str, str]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": str(cores),
        "cpu": _cpu_model(),
        "memory": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        **extra,
    }


def write_section(name: str, body: str) -> Path:
    """Replace (or add) the section of benchmark ``name`` in docs/BENCHMARKS.md; the rest stays."""
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    section = f"{begin}\n{body.strip()}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")
    return DOC


def load_average() -> float:
    """The 1-minute load average (other work on the machine skews every figure)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def today() -> str:
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
