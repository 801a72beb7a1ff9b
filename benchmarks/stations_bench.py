"""Station benchmark (issue 6, "Speed"): the nearest-station API with 10,000 stations beside the
app's trivial JSON endpoint (`/api/health`), both served by the production configuration
(gunicorn, 2 workers, DEBUG off) and loaded with wrk from the same machine (32 connections, 10 s
each, one after the other in the same run); and the station finder's first-load transfer size,
measured with Playwright (Chromium) counting the bytes of every response.

    make bench-stations                # or: .venv/bin/python benchmarks/stations_bench.py
    .venv/bin/python benchmarks/stations_bench.py --duration 3 --no-doc      # a quick try

The database is a temporary SQLite file (PostgreSQL when DATABASE_URL points to one: a database
is created on that server for the run and dropped after it), migrated, with 10,000 random listed
stations across Longhua (services, opening hours of several kinds, a few closures). wrk is
installed with apt-get when missing and the bench runs as root. Rewrites the "stations" section of
docs/BENCHMARKS.md; the last line printed is
``stations: ratio=<nearest rps / trivial rps> p99_ms=<nearest p99> rps=<nearest rps>``.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
TARGETS = {"ratio": 0.7, "p99_ms": 100.0, "first_load_kib": 300.0}
# Longhua District, roughly (the coast in the north to the towns in the south).
LAT_RANGE, LNG_RANGE = (19.78, 20.07), (110.26, 110.43)
HEADERS = {"X-Forwarded-Proto": "https"}  # as the HTTPS reverse proxy in front of gunicorn sets it


def say(message: str) -> None:
    print(message, flush=True)


# --- the database with 10,000 stations (runs in a child process with the bench's environment) ----


def fill_database(count: int, seed: int) -> dict:
    import random
    from datetime import date, timedelta
    from datetime import time as T
    from decimal import Decimal

    import django

    django.setup()
    from django.utils import timezone

    from dangjian.care import station_index
    from dangjian.care.models import Station, StationClosure, StationPeriod, StationService
    from dangjian.regions.models import Region

    rng = random.Random(seed)
    district = Region.objects.create(name="龙华区", kind=Region.Kind.DISTRICT)
    street = Region.objects.create(name="中山街道", kind=Region.Kind.STREET, parent=district)
    services = list(StationService.objects.all())
    patterns = [
        [(d, None, None, True) for d in range(7)],
        [(d, T(8), T(20), False) for d in range(7)],
        [(d, T(7), T(22), False) for d in range(7)],
        [(d, T(20), T(2), False) for d in range(7)],
        [(d, T(8, 30), T(18), False) for d in range(5)],
        [(d, a, b, False) for d in range(7) for a, b in ((T(10, 30), T(14)), (T(16, 30), T(21)))],
    ]
    stations = Station.objects.bulk_create(
        [
            Station(
                name=f"红色骑手驿站{n:05d}",
                host_kind=rng.choice(Station.HostKind.values),
                address=f"海口市龙华区测试路{n}号",
                street=street,
                latitude=Decimal(f"{rng.uniform(*LAT_RANGE):.6f}"),
                longitude=Decimal(f"{rng.uniform(*LNG_RANGE):.6f}"),
                phone=f"0898-6{rng.randint(5000000, 9999999)}",
            )
            for n in range(count)
        ],
        batch_size=2_000,
    )
    through = Station.services.through
    links, periods, closures = [], [], []
    today = timezone.localdate()
    for station in stations:
        links += [through(station=station, stationservice=s) for s in rng.sample(services, rng.randint(2, 7))]
        periods += [
            StationPeriod(station=station, weekday=d, opens=a, closes=b, all_day=all_day)
            for d, a, b, all_day in rng.choice(patterns)
        ]
        if rng.random() < 0.03:
            start = today + timedelta(days=rng.randint(-3, 10))
            closures.append(
                StationClosure(station=station, start_date=start, end_date=start + timedelta(days=2))
            )
    through.objects.bulk_create(links, batch_size=5_000)
    StationPeriod.objects.bulk_create(periods, batch_size=5_000)
    StationClosure.objects.bulk_create(closures)
    station_index.invalidate()
    return {
        "stations": len(stations),
        "periods": len(periods),
        "closures": len(closures),
        "date": str(date.today()),
    }


# --- environment, server, load -----------------------------------------------------------------


def bench_env(var_dir: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    key = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "dangjian.core.crypto"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    env.update(
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        DANGJIAN_PROFILE="production",
        DANGJIAN_DEBUG="false",
        DANGJIAN_SECRET_KEY=secrets.token_urlsafe(50),
        DANGJIAN_DATA_KEY=key,
        DANGJIAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        DANGJIAN_VAR_DIR=str(var_dir),
        DANGJIAN_LOG_LEVEL="WARNING",
        DANGJIAN_TASKS_IMMEDIATE="true",
        DATABASE_URL=database_url,
        PYTHONHASHSEED="0",
    )
    return env


def manage(env: dict, *arguments: str) -> None:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *arguments], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 30) -> bytes:
    request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 - our own server on loopback
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read()


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [GUNICORN, "dangjian.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            get(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


LUA_COMMON = """
wrk.headers["X-Forwarded-Proto"] = "https"
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "seconds": %.6f, "p50_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, errors, summary.errors.status))
end
"""

LUA_NEAREST = (
    string.Template("""
-- A phone somewhere in Longhua asks for the nearest stations: open now half the time, with a
-- service filter now and then (seeded per thread, so every run asks the same questions).
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
init = function(args)
  math.randomseed(tonumber(args[1]) * 100 + id)
end
request = function()
  local lat = $lat0 + math.random() * $lat_span
  local lng = $lng0 + math.random() * $lng_span
  local path = string.format("/api/stations/nearest?lat=%.6f&lng=%.6f&limit=10", lat, lng)
  local pick = math.random()
  if pick < 0.5 then path = path .. "&open_now=true" end
  if pick > 0.75 then path = path .. "&service=water" end
  return wrk.format("GET", path)
end
""").substitute(
        lat0=LAT_RANGE[0],
        lat_span=round(LAT_RANGE[1] - LAT_RANGE[0], 6),
        lng0=LNG_RANGE[0],
        lng_span=round(LNG_RANGE[1] - LNG_RANGE[0], 6),
    )
    + LUA_COMMON
)


def _line(result: dict) -> str:
    return (
        f"  {result['rps']:,.0f} req/s, p99 {result['p99_ms']:.1f} ms, {result['cpu_ms']:.2f} ms server CPU"
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        say("installing wrk (apt-get) ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)  # noqa: S607
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True, capture_output=True)  # noqa: S607
        found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return found


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # the workers are the master's children
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def run_wrk(
    wrk: str,
    url: str,
    script: Path,
    *,
    connections: int,
    seconds: int,
    threads: int,
    seed: int,
    server: subprocess.Popen | None = None,
) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    if seed is not None:
        command += ["--", str(seed)]
    cpu_before = server_cpu_seconds(server) if server else 0.0
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    cpu_used = server_cpu_seconds(server) - cpu_before if server else 0.0
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1][len("RESULT ") :])
    if result["errors"] > result["requests"] / 100:
        raise RuntimeError(f"wrk saw {result['errors']} errors in {result['requests']} requests on {url}")
    result["rps"] = result["requests"] / result["seconds"]
    # CPU time the server's workers spent per request: unlike the rates, hardly affected by other
    # work on the machine (the workers' own time only).
    result["cpu_ms"] = cpu_used / result["requests"] * 1000 if server and result["requests"] else None
    result["p99_ms"] = result["p99_us"] / 1000
    result["p50_ms"] = result["p50_us"] / 1000
    return result


# --- the finder's first load ---------------------------------------------------------------------


def first_load(base: str) -> dict:
    """Bytes transferred (bodies as sent, compressed where the server compresses, plus headers)
    until the phone's nearest stations are listed, with the location granted."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            geolocation={"latitude": 20.03, "longitude": 110.33},
            permissions=["geolocation"],
            extra_http_headers=HEADERS,
        )
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(f"{base}/stations/")
        page.get_by_test_id("station").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        responses = []
        for request in finished:
            sizes = request.sizes()
            response = request.response()
            responses.append(
                {
                    "url": request.url.removeprefix(base),
                    "body": sizes["responseBodySize"],
                    "headers": sizes["responseHeadersSize"],
                    "encoding": (response.headers.get("content-encoding", "") if response else ""),
                }
            )
        browser.close()
    total = sum(r["body"] + r["headers"] for r in responses)
    return {"bytes": total, "kib": total / 1024, "responses": responses}


# --- the run -------------------------------------------------------------------------------------------


def measure(args, tmp: Path) -> dict:
    figures: dict = {
        "stations": args.stations,
        "connections": args.connections,
        "seconds": args.duration,
        "workers": args.workers,
    }
    wrk = ensure_wrk()
    database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    postgres = None
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        from import_bench import create_postgres_database

        postgres = f"dangjian_stations_bench_{os.getpid()}"
        figures["database"] = "PostgreSQL " + create_postgres_database(os.environ["DATABASE_URL"], postgres)
        database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + postgres).geturl()
    else:
        import sqlite3

        figures["database"] = f"SQLite {sqlite3.sqlite_version} (WAL)"
    figures["postgres_name"] = postgres
    env = bench_env(tmp / "var", database_url)
    figures["env"] = env
    say("migrating, collecting static files ...")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    say(f"writing {args.stations:,} stations ...")
    done = subprocess.run(  # noqa: S603
        [PYTHON, str(Path(__file__).resolve()), "--fill", str(args.stations)],
        env={**env, "PYTHONPATH": str(HERE)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"filling the database failed:\n{done.stderr[-3000:]}")
    figures["data"] = json.loads(done.stdout.strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, args.workers, tmp / "gunicorn.log")
    try:
        nearest_script, trivial_script = tmp / "nearest.lua", tmp / "trivial.lua"
        nearest_script.write_text(LUA_NEAREST)
        trivial_script.write_text(LUA_COMMON)
        say("warming up (each worker builds its station index on its first request) ...")
        sample = json.loads(get(f"{base}/api/stations/nearest?lat=20.03&lng=110.33&limit=3"))
        assert sample["count"] == 3, sample  # noqa: S101 - a broken endpoint must not be benchmarked
        for script, path in ((nearest_script, "/api/stations/nearest"), (trivial_script, "/api/health")):
            run_wrk(
                wrk,
                base + path,
                script,
                connections=args.connections,
                seconds=2,
                threads=args.threads,
                seed=1,
            )

        load_before = report.load_average()
        rounds = []
        for n in range(args.rounds):
            say(
                f"round {n + 1}: wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
                "on /api/health ..."
            )
            trivial = run_wrk(
                wrk, base + "/api/health", trivial_script, connections=args.connections,
                seconds=args.duration, threads=args.threads, seed=None, server=server,
            )  # fmt: skip
            say(_line(trivial))
            say(f"round {n + 1}: the same on /api/stations/nearest (random points in Longhua) ...")
            nearest = run_wrk(
                wrk, base + "/api/stations/nearest", nearest_script, connections=args.connections,
                seconds=args.duration, threads=args.threads, seed=2026 + n, server=server,
            )  # fmt: skip
            say(_line(nearest))
            rounds.append({"trivial": trivial, "nearest": nearest, "ratio": nearest["rps"] / trivial["rps"]})
        figures["rounds"] = rounds
        figures["load"] = (load_before, report.load_average())
        say("the finder's first load (Playwright, Chromium, phone viewport) ...")
        figures["first_load"] = first_load(base)
        say(f"  {figures['first_load']['kib']:.1f} KiB")
    finally:
        stop_server(server)
        if postgres:
            from import_bench import drop_postgres_database

            drop_postgres_database(os.environ["DATABASE_URL"], postgres)
    return figures


def result(figures: dict) -> dict:
    """The round with the median ratio (the only one with --rounds 1)."""
    ordered = sorted(figures["rounds"], key=lambda r: r["ratio"])
    chosen = ordered[len(ordered) // 2]
    return {
        "ratio": chosen["ratio"],
        "p99_ms": chosen["nearest"]["p99_ms"],
        "rps": chosen["nearest"]["rps"],
        "trivial": chosen["trivial"],
        "nearest": chosen["nearest"],
        "first_load_kib": figures["first_load"]["kib"],
    }


def _short(url: str) -> str:
    path, _, query = url.partition("?")
    return f"{path} (the results)" if "fragment=results" in query else path


def _met(name: str, value: float) -> str:
    ok = value >= TARGETS[name] if name == "ratio" else value < TARGETS[name]
    return "met" if ok else "**not met**"


def markdown(figures: dict, r: dict, facts: dict) -> str:
    trivial, nearest, first = r["trivial"], r["nearest"], figures["first_load"]
    n, c, s = f"{figures['stations']:,}", figures["connections"], figures["seconds"]
    busy = figures["load"][0] > 1.0
    lines = [
        f"## stations — nearest-station API with {n} stations, finder page weight (`make bench-stations`)",
        "",
        f"Run {report.today()} on: " + ", ".join(f"{k} {v}" for k, v in facts.items()) + ".",
        "",
        "| Figure | Measured | Target | |",
        "|---|---|---|---|",
        f"| Trivial JSON endpoint `GET /api/health` | {trivial['rps']:,.0f} req/s, "
        f"p50 {trivial['p50_ms']:.1f} ms, p99 {trivial['p99_ms']:.1f} ms; "
        f"{trivial['cpu_ms']:.2f} ms server CPU per request | | |",
        f"| `GET /api/stations/nearest` (random points, limit 10) | {nearest['rps']:,.0f} req/s, p50 "
        f"{nearest['p50_ms']:.1f} ms, p99 {nearest['p99_ms']:.1f} ms; "
        f"{nearest['cpu_ms']:.2f} ms server CPU per request | | |",
        f"| **Ratio** nearest / trivial, requests per second | **{r['ratio']:.2f}** | ≥ 0.7 "
        f"| {_met('ratio', r['ratio'])} |",
        f"| Ratio of server CPU per request, trivial / nearest "
        f"| {trivial['cpu_ms'] / nearest['cpu_ms']:.2f} | | |",
        f"| **p99 latency** of nearest | **{r['p99_ms']:.1f} ms** | < 100 ms "
        f"| {_met('p99_ms', r['p99_ms'])} |",
        f"| **Finder first load**, bytes transferred | **{first['kib']:.1f} KiB** ({len(first['responses'])} "
        f"responses) | < 300 KB | {_met('first_load_kib', first['kib'])} |",
        "",
        "How it was measured:",
        "",
        f"- The database: {figures['database']}, migrated, with {n} listed stations at random points of "
        f"Longhua ({figures['data']['periods']:,} opening periods of six kinds — around the clock, daytime, "
        f"long day, overnight 20:00–02:00, office week, meal times —, 2 to 7 services each, "
        f"{figures['data']['closures']} holiday closures).",
        f"- The server: the production profile (`DANGJIAN_PROFILE=production`, DEBUG off, every secret "
        f"set, collected and compressed static files served by WhiteNoise), `gunicorn dangjian.wsgi "
        f"--workers {figures['workers']}` on 127.0.0.1, as in docs/OPERATIONS.md; wrk sends "
        "`X-Forwarded-Proto: https` as the reverse proxy would.",
        f"- The load: `wrk -t{figures.get('threads', 2)} -c{c} -d{s}s` on `/api/health` (a liveness check "
        "answered without the database), then on `/api/stations/nearest` with a Lua script asking from "
        "random points in Longhua (`limit=10`; half of the requests `open_now=true`, a quarter "
        "`service=water`), one after the other in the same run, after a 2 s warm-up of each (each "
        "gunicorn worker builds its station index on its first request). wrk runs on the same two "
        "cores as the server.",
        "- Server CPU per request: the user + system time of gunicorn's worker processes during each "
        "load (from /proc), divided by the requests answered (a second view of the endpoints' relative "
        "cost; on a crowded machine it is inflated too).",
        "- The search: each worker keeps the listed stations in an in-memory grid (`care/station_index.py`) "
        "checked against a version token in the shared cache at most once a second and rebuilt when a "
        "station changes, plus, per minute, the grid of the stations open in that minute; the answer "
        "is exact (tests/care/test_nearest.py compares it with a brute-force search over 10,000 "
        "stations).",
        "- The first load: Chromium (Playwright) on a phone viewport with the location granted opens "
        "`/stations/` and waits until the nearest stations are listed; the bytes are the sum over every "
        "response of its body as sent (gzip/brotli by WhiteNoise where the browser accepts it) and its "
        "headers: "
        + ", ".join(
            f"`{_short(x['url'])}` {(x['body'] + x['headers']) / 1024:.1f} KiB" for x in first["responses"]
        )
        + ". "
        "Leaflet is fetched only when the map is opened, and there is no Bootstrap JavaScript or htmx on "
        "the page.",
    ]
    if len(figures["rounds"]) > 1:
        lines.append(
            "- Rounds: "
            + ", ".join(f"{x['ratio']:.2f}" for x in figures["rounds"])
            + " (the median is shown)."
        )
    if busy:
        lines.append(
            f"- **The machine was shared while this ran** (load average {figures['load'][0]:.1f} before, "
            f"{figures['load'][1]:.1f} after, on {facts.get('cores')} cores): the absolute figures are low "
            "and "
            "noisy, and even the ratio of two loads run one after the other swings from run to run; "
            "re-run on a quiet machine for figures to compare."
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternate the two loads this many times (the median ratio counts)",
    )
    parser.add_argument(
        "--no-doc", dest="doc", action="store_false", help="do not rewrite docs/BENCHMARKS.md"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    parser.add_argument("--fill", type=int, help=argparse.SUPPRESS)  # internal: the data step
    args = parser.parse_args(argv)
    if args.fill:
        print(json.dumps(fill_database(args.fill, seed=2026)))
        return 0

    started = time.perf_counter()
    load_before = report.load_average()
    if load_before > (os.cpu_count() or 1) / 2:
        say(f"warning: the machine is busy (load {load_before:.1f}); the figures will be noisy")
    tmp = Path(tempfile.mkdtemp(prefix="bench-stations-"))
    try:
        figures = measure(args, tmp)
    except RuntimeError as error:
        say(str(error))
        return 1
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    figures["threads"] = args.threads
    r = result(figures)
    facts = report.machine_facts(
        **report.versions("Django", "django-ninja", "gunicorn", "whitenoise"),
        **{"wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]},  # noqa: S607
        **{"load average before/after": f"{figures['load'][0]:.2f}/{figures['load'][1]:.2f}"},
    )
    if args.doc:
        path = report.write_section("stations", markdown(figures, r, facts))
        say(f"wrote {path.relative_to(report.ROOT)} (run took {time.perf_counter() - started:.0f} s)")
    say("targets: " + ", ".join(f"{k} {_met(k, r[k]).strip('*')}" for k in TARGETS))
    say(f"stations: ratio={r['ratio']:.2f} p99_ms={r['p99_ms']:.1f} rps={r['rps']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
