"""`manage.py check --deploy` under production settings: no warnings at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Yq-9vR2sLpW7xZ0cTb4nHm8jFd6gAe1uIoPq5rStUvWxYz-Mapertunity-2026",
    "ALLOWED_HOSTS": "jobs.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://jobs.example.org",
    "SITE_URL": "https://jobs.example.org",
    "BEHIND_TLS_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their live server; a
        # production process never has it.
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION}
    }
    env.update(PRODUCTION, MAPERTUNITY_VAR_DIR=str(tmp_path), **extra)
    env["DJANGO_SETTINGS_MODULE"] = "mapertunity.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_the_check_would_catch_hsts_left_off(tmp_path: Path) -> None:
    # The test above can fail: without HSTS the same command reports security.W004.
    result = _check_deploy(tmp_path, SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_the_development_secret_key(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, SECRET_KEY="dev-only-insecure-key-change-me-in-production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
