"""Settings read strictly from the environment: a bad value stops the site and says which."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_KEY = "x" * 50


def _environment() -> dict[str, str]:
    """This process's environment without what the test run itself sets (the browser
    tests allow async-unsafe calls, which a deploy check rightly refuses)."""
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def start(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the site's settings in a fresh process, as ``manage.py check`` would."""
    clean = _environment()
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "mapertunity.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "ture"),
        ("SECURE_COOKIES", "maybe"),
        ("EMAIL_PORT", "25a"),
        ("JOB_VALID_DAYS", "0"),
        ("ACCOUNT_EMAIL_VERIFICATION", "mandatroy"),
    ],
)
def test_a_malformed_value_is_a_startup_error_naming_the_variable(name: str, value: str) -> None:
    result = start(**{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r}" in result.stderr


def test_production_refuses_the_public_development_key() -> None:
    result = start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert (
        start(DEBUG="false", SECRET_KEY=PRIVATE_KEY, ALLOWED_HOSTS="jobs.example.org").returncode
        == 0
    )


def test_deploy_checks_pass_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **_environment(),
            "DJANGO_SETTINGS_MODULE": "mapertunity.settings",
            "DEBUG": "false",
            "SECRET_KEY": "a-long-private-production-key-" + "q8Z!x" * 8,
            "ALLOWED_HOSTS": "jobs.example.org",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
