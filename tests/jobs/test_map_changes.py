"""The map index's change feed: every kind of write is seen, and a poll reads only the log
past its cursor, in chunks, whatever happened before."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import numpy as np
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mapertunity.geo.live import LiveIndex
from mapertunity.jobs import mapindex, mapsource
from mapertunity.jobs.mapsource import CHANGES, Holes, JobSource
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

from .bulk import bulk_load

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/jobs"
WORLD = {"bbox": "-180,-85,180,85", "zoom": 2}


def total(client: Client, **params: object) -> int:
    return client.get(URL, {**WORLD, **params}).json()["total"]


def test_bulk_loads_updates_and_deletes_are_on_the_map_at_the_next_request(
    client: Client,
) -> None:
    company = make_company()
    make_job(company)
    assert total(client) == 1
    jobs = [Job(company=company, **batch_job(i)) for i in range(50)]
    for job in jobs:
        job.fill_derived()
    Job.objects.bulk_create(jobs)
    assert total(client) == 51
    bulk_load(company, 200)
    assert total(client) == 251
    # A queryset update() bypasses save() and updated_at: the log still sees it.
    Job.objects.filter(title="Bulk job").update(status=Job.Status.CLOSED)
    assert total(client) == 51
    Job.objects.filter(title__startswith="Batch").delete()
    assert total(client) == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_job")
    assert total(client) == 0


def batch_job(i: int) -> dict:
    now = timezone.now()
    return {
        "title": f"Batch {i}",
        "description": "x",
        "lat": 10 + i * 0.01,
        "lng": 10,
        "city": "Somewhere",
        "country": "NG",
        "salary_min": 100,
        "salary_max": 200,
        "status": Job.Status.PUBLISHED,
        "posted_at": now,
        "valid_through": now + dt.timedelta(days=3),
    }


def test_a_poll_reads_only_the_log_past_its_cursor_in_small_chunks() -> None:
    company = make_company()
    bulk_load(company, 3000)
    source = JobSource()
    rows, token = source.load()
    assert len(rows) == 3000
    assert source.poll(token, limit=20_000) is None  # idle: nothing to read

    changed = list(Job.objects.order_by("id").values_list("id", flat=True)[:1200])
    Job.objects.filter(id__in=changed[:600]).update(salary_max=9_000_000)
    Job.objects.filter(id__in=changed[600:]).update(status=Job.Status.CLOSED)
    with CaptureQueriesContext(connection) as queries:
        changes = source.poll(token, limit=20_000)
    assert sorted(changes.rows.ids.tolist()) == changed[:600]
    assert changes.gone.tolist() == changed[600:]
    sql = [q["sql"] for q in queries.captured_queries]
    # An indexed range on the log's key, never a scan of jobs by updated_at or by order.
    assert any(f"FROM {CHANGES} WHERE seq >" in s for s in sql)
    assert not any("updated_at" in s or "ORDER BY" in s and "jobs_job." in s for s in sql)
    lists = [m.count(",") + 1 for s in sql for m in re.findall(r" IN \(([^)]*)\)", s)]
    assert lists and max(lists) <= mapsource.CHUNK

    # The next poll starts where this one ended.
    assert source.poll(changes.token, limit=20_000) is None


def test_more_changes_than_a_delta_should_hold_ask_for_a_rebuild() -> None:
    source = JobSource()
    _, token = source.load()
    bulk_load(make_company(), 101)
    assert source.poll(token, limit=100).rebuild
    assert not source.poll(token, limit=101).rebuild


def test_a_truncate_or_a_token_too_old_to_replay_asks_for_a_rebuild() -> None:
    source = JobSource()
    _, token = source.load()
    old = {**token, "polled": time.time() - mapsource.KEEP_CHANGES_SECONDS}
    assert source.poll(old, limit=100).rebuild
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CHANGES}(job_id) VALUES (%s)", [mapsource.EVERYTHING])
    assert source.poll(token, limit=100).rebuild


def test_a_restart_from_the_snapshot_replays_only_what_changed_since(tmp_path: Path) -> None:
    company = make_company()
    bulk_load(company, 500)
    with override_settings(MAP_INDEX_DIR=str(tmp_path)):
        first = mapindex.live_index().view()
        assert first.total == 500
        moved = make_job(company, lat=1, lng=1)
        Job.objects.filter(id=Job.objects.order_by("id").first().id).delete()

        # A new process: maps the snapshot and reads only the two changes since.
        source = JobSource()
        loads = []
        source.load = lambda: loads.append(1)  # type: ignore[method-assign]
        restarted = LiveIndex(
            source, name=mapindex._index_name(), directory=tmp_path, refresh_seconds=0
        )
        view = restarted.refresh()
        assert loads == [] and view.version == first.version
        assert view.total == 500 and len(view.delta) == 1 and len(view.tombs) == 1
        assert view.delta_ids.tolist() == [moved.pk]


def test_numbers_skipped_below_the_cursor_are_looked_up_again_until_they_expire() -> None:
    holes = Holes()
    holes.add_gaps(10, [12, 13, 17], now=100.0)
    assert [r[:2] for r in holes.ranges] == [[11, 11], [14, 16]]
    holes.fill([15])
    assert [r[:2] for r in holes.ranges] == [[11, 11], [14, 14], [16, 16]]
    holes.expire(100.0 + mapsource.HOLE_SECONDS)
    assert holes.ranges == []

    # A transaction drew number n + 1 but committed after n + 2 was read: the poll that
    # read n + 2 keeps n + 1 as a hole, and the next poll finds it there.
    early, late = make_job(), make_job()
    source = JobSource()
    _, token = source.load()
    n = token["seq"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Later writes draw numbers past the two this test places by hand.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{CHANGES}', 'seq'), %s)", [n + 9]
            )
        cursor.execute(f"INSERT INTO {CHANGES}(seq, job_id) VALUES (%s, %s)", [n + 2, early.pk])
    first = source.poll(token, limit=100)
    assert first.rows.ids.tolist() == [early.pk]
    assert first.token["seq"] == n + 2 and [r[:2] for r in first.token["holes"]] == [[n + 1] * 2]
    Job.objects.filter(pk=late.pk).update(status=Job.Status.CLOSED)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CHANGES} WHERE seq > %s", [n + 2])
        cursor.execute(f"INSERT INTO {CHANGES}(seq, job_id) VALUES (%s, %s)", [n + 1, late.pk])
    second = source.poll(first.token, limit=100)
    assert second.gone.tolist() == [late.pk] and second.token["holes"] == []


def test_the_log_keeps_a_day_of_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    make_job()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CHANGES} SET changed_at = changed_at - %s", [2 * 86400])
    make_job()
    source = JobSource()
    with connection.cursor() as cursor:
        source._prune(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM {CHANGES}")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_triggers_a_sqlite_table_rebuild_dropped_come_back_and_the_index_rebuilds() -> None:
    source = JobSource()
    _, token = source.load()
    mapsource.drop_triggers(connection)
    make_job()  # not logged
    mapsource.ensure_installed(connection)
    assert source.poll(token, limit=100).rebuild
    make_job()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {CHANGES} WHERE job_id > 0")
        assert cursor.fetchone()[0] >= 1


def test_the_index_holds_the_rows_the_database_holds_after_every_kind_of_write() -> None:
    company = make_company()
    bulk_load(company, 300)
    live = mapindex.live_index()
    view = live.refresh()
    Job.objects.filter(id__in=Job.objects.values("id")[:10]).update(lat=0.5, lng=0.5)
    Job.objects.filter(id__in=Job.objects.values("id")[20:30]).delete()
    view = live.refresh()
    expected = sorted(Job.objects.published().values_list("id", flat=True))
    got = np.sort(view.ids_in_box(-180, -90, 180, 90, limit=10_000))
    assert got.tolist() == expected
    assert view.count(0.4, 0.4, 0.6, 0.6) == 10
