"""/healthz: 200 when the database, cache, task worker and map index are fine; 503 naming
the part that is not."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from mapertunity.core.worker import beat
from mapertunity.jobs import mapindex, mapsource
from mapertunity.ops import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_alive() -> None:
    beat(worker_id="worker-1", now=timezone.now())


def _get(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_it_answers_200_listing_every_part_when_all_is_well(
    client: Client, worker_alive: None
) -> None:
    status, body = _get(client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "worker", "map_index"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["alive"] == 1
    assert body["checks"]["map_index"]["state"] == "fresh"


def test_it_is_never_cached(client: Client, worker_alive: None) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_it_needs_no_login_and_no_csrf_token(
    client: Client, worker_alive: None, settings: Any
) -> None:
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    strict = Client(enforce_csrf_checks=True)

    assert strict.get("/healthz").status_code == 200
    assert strict.head("/healthz").status_code == 200
    assert strict.post("/healthz").status_code == 405


def test_it_is_cheap(
    client: Client, worker_alive: None, django_assert_max_num_queries: Any
) -> None:
    client.get("/healthz")  # the first call builds this process's map index
    with django_assert_max_num_queries(4):
        assert client.get("/healthz").status_code == 200


def test_it_fails_naming_the_worker_when_none_ever_beat(client: Client) -> None:
    status, body = _get(client)

    assert status == 503
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["alive"] == 0


def test_it_fails_naming_the_worker_once_its_heartbeat_stops(client: Client) -> None:
    stopped = timezone.now() - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS + 5)
    beat(worker_id="worker-1", now=stopped)

    status, body = _get(client)

    assert status == 503
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["last_beat_seconds"] >= settings.WORKER_LEASE_SECONDS
    assert "heartbeat" in body["checks"]["worker"]["error"]


def test_a_worker_beating_within_the_lease_is_alive(client: Client) -> None:
    recent = timezone.now() - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS - 5)
    beat(worker_id="worker-1", now=recent)

    assert _get(client)[0] == 200


def test_it_fails_naming_the_cache_when_values_are_not_kept(
    client: Client, worker_alive: None, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    status, body = _get(client)

    assert status == 503
    assert body["failed"] == ["cache"]


def test_it_fails_naming_the_cache_when_the_cache_server_is_down(
    client: Client, worker_alive: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("cache.internal:6379 refused the connection")

    monkeypatch.setattr(health.cache, "set", down)

    status, body = _get(client)

    assert status == 503
    assert body["failed"] == ["cache"]
    # The answer is public: it names the failure, not the host behind it.
    assert body["checks"]["cache"]["error"] == "ConnectionRefusedError"
    assert "cache.internal" not in str(body)


def test_it_fails_naming_the_database_when_queries_fail(
    client: Client, worker_alive: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Down:
        def cursor(self) -> None:
            raise OperationalError("could not connect to server db.internal")

    monkeypatch.setattr(health, "connection", Down())

    status, body = _get(client)

    assert status == 503
    assert "database" in body["failed"]
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert "db.internal" not in str(body)


def _log_change(age_seconds: float) -> None:
    """A job change the index has not applied, logged ``age_seconds`` ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {mapsource.CHANGES} (job_id, changed_at) VALUES (%s, %s)",
            [123456, time.time() - age_seconds],
        )


def test_it_fails_naming_the_map_index_when_it_is_behind_the_change_log(
    client: Client, worker_alive: None
) -> None:
    mapindex.job_index()
    _log_change(age_seconds=settings.MAP_INDEX_MAX_LAG_SECONDS + 120)

    status, body = _get(client)

    assert status == 503
    assert body["failed"] == ["map_index"]
    check = body["checks"]["map_index"]
    assert check["state"] == "stale"
    assert check["behind_seconds"] >= settings.MAP_INDEX_MAX_LAG_SECONDS + 120


def test_a_change_not_yet_applied_within_the_allowed_lag_is_fine(
    client: Client, worker_alive: None
) -> None:
    mapindex.job_index()
    _log_change(age_seconds=2)

    status, body = _get(client)

    assert status == 200
    assert body["checks"]["map_index"]["state"] == "stale"
    assert body["checks"]["map_index"]["behind_seconds"] < 10


def test_the_map_index_is_fresh_again_once_it_applies_the_change(
    client: Client, worker_alive: None
) -> None:
    mapindex.job_index()
    _log_change(age_seconds=settings.MAP_INDEX_MAX_LAG_SECONDS + 120)
    mapindex.job_index()  # a poll (inline in the tests) applies it

    status, body = _get(client)

    assert status == 200
    check = body["checks"]["map_index"]
    assert (check["ok"], check["state"], check["behind_seconds"]) == (True, "fresh", 0.0)


def test_a_process_still_building_its_first_index_is_healthy_then_not(
    worker_alive: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Production intervals: the build runs in a thread; here it never finishes.
    settings.MAP_INDEX_REFRESH_SECONDS = 3600
    monkeypatch.setattr(mapindex, "current_view", lambda: None)
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])

    first = health.check_map_index(timezone.now())
    clock[0] += settings.MAP_INDEX_MAX_LAG_SECONDS + 1
    later = health.check_map_index(timezone.now())

    assert first == {"ok": True, "state": "building"}
    assert later["ok"] is False
    assert later["state"] == "building"
