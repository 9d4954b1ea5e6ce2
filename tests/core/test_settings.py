"""Settings come from the environment and production values pass Django's deployment check."""

import os
import subprocess
import sys

import pytest


def _django(args, **env):
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "peaceops.settings", **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "django", *args], env=full_env, capture_output=True, text=True,
                          timeout=120)


def test_deploy_check_is_clean_with_production_values(tmp_path):
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], PEACEOPS_PRODUCTION="yes",
                     SECRET_KEY="x" * 64 + "-production-secret-from-env", ALLOWED_HOSTS="peaceops.example.org",
                     PEACEOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _django(["check"], PEACEOPS_PRODUCTION="yes", SECRET_KEY="", PEACEOPS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name, value", [("DEBUG", "maybe"), ("API_TOKEN_TTL_HOURS", "three")])
def test_malformed_values_fail_loudly_naming_the_variable(tmp_path, name, value):
    result = _django(["check"], **{name: value, "PEACEOPS_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and name in result.stderr


@pytest.mark.parametrize("name, value, says", [
    ("PEACEOPS_DAY_CUTOFF", "noon", "HH:MM"),
    ("PEACEOPS_DAY_CUTOFF", "25:00", "00:00 to 24:00"),
    ("PEACEOPS_SMALL_CELL", "-3", "2 or more"),
    ("PEACEOPS_LINKAGE_THREADS", "many", "whole number"),
    ("PEACEOPS_LINKAGE_MEMORY", "lots", "4GB"),
    ("PEACEOPS_TIME_ZONE", "Mars/Olympus", "time zone"),
    ("PEACEOPS_MAX_RANGE_DAYS", "0", "1 or more"),
    ("PEACEOPS_LINKAGE_BACKEND", "hadoop", "duckdb or spark"),
    ("PEACEOPS_SPARK_CONF", "spark.executor.memory 4g", "property=value"),
    ("PEACEOPS_LINKAGE_MIN_LABELS", "0", "1 or more"),
    ("PEACEOPS_SITE_URL", "peaceops.example.org", "absolute http"),
    ("PEACEOPS_SITE_URL", "ftp://peaceops.example.org", "absolute http"),
    ("PEACEOPS_SITE_URL", "https://peaceops.example.org/?next=x", "no query"),
    ("PEACEOPS_SITE_URL", "https://user:secret@peaceops.example.org", "credentials"),
    ("PEACEOPS_OP_VIEW_KM", "far", "a number"),
    ("PEACEOPS_OP_VIEW_KM", "-1", "0 or more"),
    ("PEACEOPS_MAP_BOUNDS", "39.55,46.40,40.30", "south,west,north,east"),
    ("PEACEOPS_MAP_BOUNDS", "40.30,46.40,39.55,47.25", "south < north"),
])
def test_out_of_range_values_stop_start_up_saying_what_is_accepted(tmp_path, name, value, says):
    result = _django(["check"], **{name: value, "PEACEOPS_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and name in result.stderr and says in result.stderr, result.stderr[-500:]


def test_good_values_pass(tmp_path):
    result = _django(["check"], PEACEOPS_DAY_CUTOFF="19:30", PEACEOPS_SMALL_CELL="10", PEACEOPS_LINKAGE_MEMORY="512MB",
                     PEACEOPS_TIME_ZONE="Etc/GMT-4", PEACEOPS_SITE_URL="https://example.org/peaceops/",
                     PEACEOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_importing_the_settings_creates_no_folder(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "PEACEOPS_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", "import peaceops.settings"], env=env, check=True, timeout=60)
    assert not data.exists()
    assert _django(["check"], PEACEOPS_DATA_DIR=str(data)).returncode == 0
    assert (data / "static").is_dir()  # made when the application starts


def test_every_variable_the_settings_read_is_documented():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read = set(re.findall(r'env(?:str|bool|int|date|list|size|time|url|zone)\("([A-Z0-9_]+)"',
                          (root / "peaceops" / "settings.py").read_text()))
    documented = (root / "docs" / "configuration.md").read_text()
    assert read and not sorted(name for name in read if f"`{name}`" not in documented)
