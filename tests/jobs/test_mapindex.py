"""The jobs' live index: one snapshot on disk shared by processes, changes on top of it."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from mapertunity.geo import snapshot
from mapertunity.geo.live import LiveIndex
from mapertunity.geo.morton import morton_key
from mapertunity.geo.tiles import box_tiles
from mapertunity.geo.view import Rows, Touch, View
from mapertunity.jobs import mapindex
from mapertunity.jobs.mapsource import SCHEMA
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
WORLD = (-180.0, -90.0, 180.0, 90.0)
EPOCH = dt.date(1970, 1, 1)


def test_the_snapshot_is_written_once_and_other_processes_map_it(tmp_path: Path) -> None:
    company = make_company()
    for i in range(30):
        make_job(company, lat=40 + i * 0.1, lng=-3 + i * 0.1)
    with override_settings(MAP_INDEX_DIR=str(tmp_path)):
        live = mapindex.live_index()
        view = live.view()
        assert view.total == 30
        assert isinstance(view.base.key.base, np.memmap)  # a view of the map
        name = mapindex._index_name()
        assert snapshot.current_version(tmp_path, name) == view.version

        # Another worker process: maps the same files, reads no rows from the database.
        other = LiveIndex(mapindex.JobSource(), name=name, directory=tmp_path, refresh_seconds=0)
        assert other.view().version == view.version
        assert other.view().count(*WORLD) == 30

        # A new job shows in both through their deltas, without a new snapshot.
        make_job(company, lat=10, lng=10)
        assert other.view().count(*WORLD) == 31
        assert mapindex.count_jobs(*WORLD) == 31
        assert snapshot.current_version(tmp_path, name) == view.version


def test_the_index_holds_pay_and_posting_day_for_filters() -> None:
    job = make_job(salary_max=12_000_000, salary_currency="USD", salary_period="year")
    view = mapindex.job_index()
    row = int(view.base.positions_of(np.array([job.pk]))[0])
    assert int(view.base.value_column("pay")[row]) == 1200
    assert int(view.base.value_column("posted")[row]) == (job.posted_at.date() - EPOCH).days


def test_saving_rounds_the_position_to_the_index_precision() -> None:
    job = make_job(lat=30.123456789, lng=-97.987654321)
    job.refresh_from_db()
    assert (job.lat, job.lng) == (30.1234568, -97.9876543)
    assert Job.objects.filter(lat=30.1234568).exists()


def _view(version: str, serial: int, touched: tuple = ()) -> View:
    rows = Rows.empty(SCHEMA)
    index = SCHEMA.build(rows)
    empty = np.empty(0, dtype=np.int64)
    return View(index, empty, index, rows, version, serial, touched=touched)


def test_the_read_paths_one_cache_follows_the_index_state() -> None:
    cache = mapindex.StateCache(max_bytes=10_000)
    ids = np.arange(10)
    v1 = _view("v1", 1)
    cache.put(v1, "ids", ids, scope=mapindex.VERSION)
    cache.put(v1, "delta", b"{}", scope=mapindex.SERIAL)
    # A change on the same snapshot keeps the snapshot's id lists, drops the exact state's.
    none = np.empty(0, dtype=np.int64)
    v2 = _view("v1", 2, (Touch(2, none, none),))
    assert cache.get(v2, "ids") is ids
    assert cache.get(v2, "delta") is None
    # A new snapshot starts empty; a request still on the older one neither reads nor stores.
    v3 = _view("v2", 3)
    assert cache.get(v3, "ids") is None
    cache.put(v1, "ids", ids, scope=mapindex.VERSION)
    assert cache.get(v3, "ids") is None
    # The byte budget evicts the least recently used.
    for i in range(40):
        cache.put(v3, ("marker", i), {"id": i}, scope=mapindex.IDS, deps=(i,))
    assert cache.get(v3, ("marker", 0)) is None
    assert cache.get(v3, ("marker", 39)) == {"id": 39}
    assert cache.bytes <= 10_000


def test_a_change_drops_only_the_answers_of_the_tiles_it_touched() -> None:
    cache = mapindex.StateCache()
    paris = morton_key(48.85, 2.35)
    v1 = _view("v1", 1)
    for name, (lat, lng) in (("paris", (48.85, 2.35)), ("austin", (30.27, -97.74))):
        level, cells = box_tiles(lng - 0.1, lat - 0.1, lng + 0.1, lat + 0.1, 10)
        cache.put(v1, name, name, scope=mapindex.TILES, level=level, deps=cells)
    level, cells = box_tiles(-180, -85, 180, 85, 2)
    cache.put(v1, "world", "world", scope=mapindex.TILES, level=level, deps=cells)
    cache.put(v1, ("marker", 7), "seven", scope=mapindex.IDS, deps=(7,))
    cache.put(v1, ("marker", 8), "eight", scope=mapindex.IDS, deps=(8,))
    # Job 7 moves within Paris.
    v2 = _view("v1", 2, (Touch(2, np.array([paris]), np.array([7])),))
    assert cache.get(v2, "paris") is None
    assert cache.get(v2, "world") is None
    assert cache.get(v2, "austin") == "austin"
    assert cache.get(v2, ("marker", 7)) is None
    assert cache.get(v2, ("marker", 8)) == "eight"
    # A cache that missed changes (the log no longer reaches back) trusts nothing older.
    v9 = _view("v1", 9, (Touch(9, np.array([paris]), np.array([1])),))
    assert cache.get(v9, "austin") is None
    assert cache.get(v9, ("marker", 8)) is None
