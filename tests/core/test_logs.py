"""Logs in production: one JSON object per line, and one line per request with its id,
path, status and duration."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from mapertunity.core.logs import JsonFormatter, RequestContextFilter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What the request logger writes, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("mapertunity.request")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_id_path_status_and_duration(
    client: Client, request_log: io.StringIO
) -> None:
    response = client.get("/jobs/?q=secret+words")
    client.get("/no-such-page/")

    first, second = _lines(request_log)
    assert first["level"] == "INFO"
    assert first["logger"] == "mapertunity.request"
    assert first["time"].endswith("Z")
    assert (first["method"], first["path"], first["status"]) == ("GET", "/jobs/", 200)
    assert first["route"] == "jobs/"
    assert isinstance(first["duration_ms"], float)
    assert first["request_id"] == response["X-Request-ID"]
    assert first["message"].startswith("GET /jobs/ 200 ")
    # What people search for stays out of the log.
    assert "secret" not in request_log.getvalue()
    assert (second["path"], second["status"]) == ("/no-such-page/", 404)
    assert second["request_id"] != first["request_id"]


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(
    client: Client, request_log: io.StringIO
) -> None:
    kept = client.get("/robots.txt", headers={"X-Request-ID": "lb-7f3a.42"})
    replaced = client.get("/robots.txt", headers={"X-Request-ID": 'x" injected\nline'})

    assert kept["X-Request-ID"] == "lb-7f3a.42"
    assert replaced["X-Request-ID"] != 'x" injected\nline'
    assert [line["request_id"] for line in _lines(request_log)] == [
        "lb-7f3a.42",
        replaced["X-Request-ID"],
    ]


def test_a_traceback_stays_inside_its_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed here"
    assert "ValueError: boom" in entry["exc"]


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "false", "SECRET_KEY": "a-production-secret-key-of-forty-characters!"},
        {"DEBUG": "true", "LOG_FORMAT": "json"},
    ],
    ids=["production", "asked-for"],
)
def test_the_sites_logging_writes_json_lines(env: dict[str, str]) -> None:
    code = "import logging; logging.getLogger('mapertunity.something').warning('hello %s', 'you')"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mapertunity.settings"}
    environment.pop("LOG_FORMAT", None)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[-1])
    assert (lines[-1]["level"], lines[-1]["logger"], lines[-1]["message"]) == (
        "WARNING",
        "mapertunity.something",
        "hello you",
    )


def test_text_stays_the_default_in_development() -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mapertunity.settings", "DEBUG": "true"}
    environment.pop("LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "import logging; logging.warning('hi')"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stderr.strip().endswith("WARNING root hi")


def test_a_bad_log_format_stops_the_start_naming_the_variable() -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mapertunity.settings"}
    environment["LOG_FORMAT"] = "xml"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
