"""Settings come from the environment through strict helpers; the production profile is hardened."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def test_bad_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL='maybe' is not a boolean"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT='ten' is not an integer"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("X_INT", 1, minimum=1)
    monkeypatch.setenv("X_CHOICE", "staging")
    with pytest.raises(ImproperlyConfigured, match="not one of: dev, production"):
        env_str("X_CHOICE", "dev", choices=("dev", "production"))
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED is required"):
        env_str("X_REQUIRED")


def test_secrets_can_come_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("X_SECRET")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST", []) == ["a", "b", "c"]


def _manage(*args, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DANGJIAN_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DANGJIAN_VAR_DIR": str(tmp_path / "var"), **env_extra})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_migrates_a_fresh_database_and_passes_check_deploy(tmp_path):
    key = subprocess.run(
        [sys.executable, "-m", "dangjian.core.crypto"], capture_output=True, text=True, check=True
    ).stdout.strip()
    production = {
        "DANGJIAN_PROFILE": "production",
        "DANGJIAN_SECRET_KEY": "p" * 30 + "-Z9!x" + "q" * 30,
        "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.gov.cn",
        "DANGJIAN_DATA_KEY": key,
    }
    # `migrate` runs the database-tagged demo-account check before any table exists.
    migrated = _manage("migrate", "--no-input", env_extra=production, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=production, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_profile_requires_its_secrets(tmp_path):
    result = _manage("check", env_extra={"DANGJIAN_PROFILE": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DANGJIAN_SECRET_KEY is required" in result.stderr


def test_a_bad_profile_is_a_clear_start_up_error(tmp_path):
    result = _manage("check", env_extra={"DANGJIAN_PROFILE": "prod"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DANGJIAN_PROFILE='prod' is not one of: dev, production" in result.stderr


def test_sqlite_file_databases_run_in_wal_mode(db, tmp_path):
    from django.conf import settings
    from django.db.backends.sqlite3.base import DatabaseWrapper

    configured = settings.DATABASES["default"]
    if configured["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite options apply only when DATABASE_URL is not set")
    wrapper = DatabaseWrapper({**configured, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()
