# Two commands for a new user: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint browser messages help

help:
	@echo "make run    - set up, migrate, load Longhua demo data on first run, serve http://$(HOST):$(PORT)"
	@echo "make test   - set up, run ruff and every test (browser tests included)"
	@echo "make bench-import - the import/export benchmark (issue 3); figures into docs/BENCHMARKS.md"
	@echo "make bench-stations - the nearest-station API and finder page weight (issue 6)"
	@echo "make bench-planner - the joint-build planner: quality against the optimum, street and district speed (issue 4)"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Translations are compiled from locale/*.po by the setup, never committed as .mo files.
messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0

setup: $(STAMP) messages
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo --if-empty

# The background worker (imports, reminders) runs beside the web server and stops with it.
run: setup
	$(PY) manage.py db_worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; installed here when missing and we may (root).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# One worker per core; a module's tests stay together (module-scoped fixtures, e.g. the loaded demo).
test: $(STAMP) messages browser lint
	$(VENV)/bin/pytest -q -n auto --dist loadscope

# Benchmarks: `make bench-<name>` runs benchmarks/<name>_bench.py, which measures its figure beside
# its baseline and rewrites its section of docs/BENCHMARKS.md. Not tests: `make test` skips them.
bench-%: $(STAMP) messages
	$(PY) benchmarks/$*_bench.py $(BENCH_ARGS)
