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
