import os

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from tests.world import PERSONAS, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: browser tests must run in CI.")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (the tests check the algorithm), with the cost turned down: hundreds of test
    accounts are created, and the real cost is there to slow down attackers, not tests."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _isolated_cache_and_inline_tasks(settings, request):
    """Each test gets its own empty cache (rate limits, import progress) and runs background
    tasks inline, as a worker would, so a test sees their effect."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["tests.conftest.QuickArgon2PasswordHasher"]


@pytest.fixture
def world(db):
    """Two streets with units, organizations and people, and one user per persona."""
    return build_world()


@pytest.fixture(params=PERSONAS)
def persona(request, world):
    return request.param


def pytest_collection_modifyitems(config, items):
    # In CI a skipped browser test is a failure: it would hide a missing Chromium.
    if os.environ.get("CI") == "true":
        config.pluginmanager.register(_FailOnSkip(), "fail-on-skip")


class _FailOnSkip:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.skipped and item.get_closest_marker("e2e"):
            report.outcome = "failed"
            report.longrepr = f"browser test skipped in CI: {report.longrepr}"
