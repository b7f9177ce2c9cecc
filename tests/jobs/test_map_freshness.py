"""With production intervals the map is maintained by a thread: requests never wait for it,
and a write is on the map within a second."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.test import Client

from mapertunity import settings as production
from mapertunity.jobs import mapindex
from mapertunity.jobs.mapsource import JobSource
from tests.helpers import make_company, make_job

from .bulk import bulk_load

URL = "/api/v1/map/jobs"
WORLD = {"bbox": "-180,-85,180,85", "zoom": 2}


@pytest.fixture
def production_intervals(settings) -> None:
    """The deployed poll interval (the suite's settings poll inline, on every request)."""
    settings.MAP_INDEX_REFRESH_SECONDS = production.MAP_INDEX_REFRESH_SECONDS
    assert settings.MAP_INDEX_REFRESH_SECONDS > 0


def seen_within(client: Client, total: int, seconds: float) -> float:
    """How long until the map's total is ``total`` (fails past ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if client.get(URL, WORLD).json()["total"] == total:
            return time.monotonic() - started
        time.sleep(0.01)
    raise AssertionError(f"the map did not show {total} jobs within {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_write_is_on_the_map_within_a_second(client: Client, production_intervals) -> None:
    company = make_company()
    make_job(company)
    mapindex.live_index().refresh()
    assert client.get(URL, WORLD).json()["total"] == 1
    delays = []
    for i in range(4):
        job = make_job(company, lat=48.85 + i, lng=2.35)
        delays.append(seen_within(client, 2, 1.0))
        job.close()
        delays.append(seen_within(client, 1, 1.0))
    print(f"\nwrite-to-map delays (s): {', '.join(f'{d:.3f}' for d in delays)}")  # pytest -s
    assert max(delays) < 1.0, delays


@pytest.mark.django_db(transaction=True)
def test_until_the_first_build_answers_come_from_sql_marked_stale(
    client: Client, production_intervals, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = make_company()
    for i in range(5):
        make_job(company, lat=40 + i, lng=-3 + i)
    release = threading.Event()
    load = JobSource.load

    def slow_load(self: JobSource) -> Any:
        release.wait(30)  # a first build that takes long (a million jobs)
        return load(self)

    monkeypatch.setattr(JobSource, "load", slow_load)
    started = time.monotonic()
    data = client.get(URL, {**WORLD, "zoom": 8}).json()
    assert time.monotonic() - started < 1.0
    assert data["stale"] is True and data["total"] == 5
    assert sum(f["properties"].get("point_count", 1) for f in data["features"]) == 5
    assert all(not f["properties"]["cluster"] for f in data["features"])
    listed = client.get("/jobs/", {"bbox": "-180,-85,180,85"}, headers={"HX-Request": "true"})
    assert listed.context["page"].paginator.count == 5

    release.set()
    mapindex.live_index().refresh()
    data = client.get(URL, {**WORLD, "zoom": 8}).json()
    assert "stale" not in data and data["total"] == 5


@pytest.mark.django_db(transaction=True)
def test_a_request_never_waits_for_a_poll_or_a_rebuild(
    client: Client, production_intervals, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_job()
    live = mapindex.live_index()
    live.refresh()
    release = threading.Event()
    poll = JobSource.poll

    def slow_poll(self: JobSource, token: dict, limit: int) -> Any:
        release.wait(30)
        return poll(self, token, limit)

    monkeypatch.setattr(JobSource, "poll", slow_poll)
    make_job(lat=10, lng=10)
    live._wake.set()
    started = time.monotonic()
    for _ in range(5):
        assert client.get(URL, WORLD).status_code == 200
    assert time.monotonic() - started < 1.0
    release.set()
    assert live.refresh().total == 2


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_after_a_bulk_load_of_300k_jobs_and_one_save_the_map_answers_in_milliseconds(
    client: Client, production_intervals
) -> None:
    company = make_company()
    job = make_job(company, title="Before")
    live = mapindex.live_index()
    live.refresh()
    assert client.get(URL, WORLD).json()["total"] == 1

    bulk_load(company, 300_000)
    job.title, job.lat, job.lng = "After", 48.8566, 2.3522
    job.save()

    # While the index catches up (in the background), requests answer at once.
    started = time.monotonic()
    response = client.get(URL, WORLD)
    assert response.status_code == 200
    assert time.monotonic() - started < 0.5

    caught_up = time.monotonic()
    live.refresh(timeout=120)
    caught_up = time.monotonic() - caught_up
    started = time.monotonic()
    data = client.get(URL, WORLD).json()
    took = time.monotonic() - started
    print(f"\ncatch-up {caught_up:.2f} s, then a world request in {took * 1e3:.1f} ms")
    assert took < 0.1
    assert data["total"] == 300_001 and "stale" not in data
    paris = client.get(URL, {"bbox": "2.35,48.85,2.36,48.86", "zoom": 18}).json()
    [single] = paris["features"]
    assert single["properties"]["title"] == "After"
