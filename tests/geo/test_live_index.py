"""The live index (snapshot − tombstones + delta) must answer like an index of the current rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mapertunity.geo import index as index_module
from mapertunity.geo import snapshot
from mapertunity.geo.cover import from_e7, to_e7
from mapertunity.geo.index import IdList, PointIndex, Where
from mapertunity.geo.live import Changes, LiveIndex, Rows, Schema

SCHEMA = Schema(categories={"kind": 3}, values=("pay",), band="pay")


class FakeSource:
    """Rows in a dict; every edit is reported by the next poll."""

    schema = SCHEMA

    def __init__(self, n: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.rng = rng
        self.rows: dict[int, tuple[float, float, int, int]] = {}
        for i in range(1, n + 1):
            self.rows[i] = self.random_row()
        self.pending: set[int] = set()
        self.loads = 0
        self.polls = 0
        self.deleted = False

    def random_row(self) -> tuple[float, float, int, int]:
        rng = self.rng
        if rng.random() < 0.5:
            lat, lng = rng.normal(52.5, 0.2), rng.normal(13.4, 0.3)
        else:
            lat, lng = rng.uniform(-60, 70), rng.uniform(-180, 180)
        lat, lng = (float(v) for v in from_e7(to_e7(np.array([lat, lng]))))
        return lat, lng, int(rng.integers(0, 3)), int(rng.integers(0, 1000))

    def as_rows(self, ids: list[int]) -> Rows:
        data = [self.rows[i] for i in ids]
        return Rows(
            np.array(ids, dtype=np.int64),
            np.array([d[0] for d in data], dtype=np.float64),
            np.array([d[1] for d in data], dtype=np.float64),
            {"kind": np.array([d[2] for d in data], dtype=np.int64)},
            {"pay": np.array([d[3] for d in data], dtype=np.uint16)},
        )

    def load(self) -> tuple[Rows, dict[str, Any]]:
        self.loads += 1
        self.pending.clear()
        self.deleted = False
        return self.as_rows(sorted(self.rows)), {"loads": self.loads}

    def poll(self, token: dict[str, Any], limit: int) -> Changes | None:
        self.polls += 1
        if self.deleted or len(self.pending) > limit:
            return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
        if not self.pending:
            return None
        live = sorted(i for i in self.pending if i in self.rows)
        gone = np.array(sorted(i for i in self.pending if i not in self.rows), dtype=np.int64)
        self.pending.clear()
        return Changes(self.as_rows(live) if live else None, gone, token)

    # edits
    def upsert(self, i: int) -> None:
        self.rows[i] = self.random_row()
        self.pending.add(i)

    def hide(self, i: int) -> None:
        self.rows.pop(i, None)
        self.pending.add(i)


def reference(source: FakeSource) -> PointIndex:
    return SCHEMA.build(source.as_rows(sorted(source.rows)))


BOXES = [
    (-180.0, -90.0, 180.0, 90.0),
    (12.0, 51.5, 15.0, 53.5),
    (13.2, 52.3, 13.6, 52.7),
    (170.0, -60.0, -170.0, 70.0),
]
WHERES = [
    Where(),
    Where(categories={"kind": frozenset({1})}),
    Where(minimums={"pay": 500}),
    Where(categories={"kind": frozenset({0, 2})}, minimums={"pay": 250}),
]


def assert_same(live: LiveIndex, source: FakeSource) -> None:
    view = live.view()
    ref = reference(source)
    ids = np.array(sorted(source.rows)[::3], dtype=np.int64)
    for box in BOXES:
        for zoom in (1, 5, 9, 14):
            for where in [*WHERES, Where(ids=IdList(("third", view.serial), ids))]:
                got = view.query(*box, zoom, where=where)
                want = ref.query(*box, zoom, where=where)
                assert got.total == want.total
                assert sum(g.count for g in got.groups) == got.total
                singles = {g.id: (g.lat, g.lng) for g in got.groups if g.count == 1}
                assert None not in singles
                for g in got.groups:
                    assert g.bbox[1] <= g.lat <= g.bbox[3]
                for gid, (lat, lng) in singles.items():
                    assert source.rows[gid][:2] == (lat, lng)
            assert view.count(*box) == ref.count(*box)


@pytest.fixture(params=[False, True], ids=["rows", "cover"])
def cover_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if request.param:
        monkeypatch.setattr(index_module, "SMALL", 0)
    return request.param


def test_changes_show_without_a_rebuild(cover_path: bool) -> None:
    source = FakeSource(3000)
    live = LiveIndex(source, name="t", refresh_seconds=0, background=False)
    assert_same(live, source)
    for i in range(1, 400, 7):
        source.upsert(i)  # moved or re-filtered
    for i in range(2, 400, 11):
        source.hide(i)  # closed
    for i in range(5000, 5040):
        source.upsert(i)  # new
    assert_same(live, source)
    assert source.loads == 1
    view = live.view()
    assert len(view.tombs) > 0 and len(view.delta) > 0


def test_a_cell_whose_only_member_left_the_snapshot_names_the_right_single(cover_path) -> None:
    source = FakeSource(0)
    source.rows = {1: (10.0, 10.0, 0, 5), 2: (10.0001, 10.0001, 0, 5)}
    live = LiveIndex(source, name="t", refresh_seconds=0, background=False)
    assert live.view().query(9, 9, 11, 11, 3).groups[0].count == 2
    source.hide(1)
    [single] = live.view().query(9, 9, 11, 11, 3).groups
    assert (single.count, single.id, single.lat) == (1, 2, 10.0001)
    source.upsert(3)
    source.rows[3] = (10.0002, 10.0002, 0, 5)
    source.hide(2)
    [single] = live.view().query(9, 9, 11, 11, 3).groups
    assert (single.count, single.id) == (1, 3)


def test_ids_in_box_skips_tombstoned_rows_and_includes_new_ones() -> None:
    source = FakeSource(50)
    live = LiveIndex(source, name="t", refresh_seconds=0, background=False)
    source.hide(1)
    source.upsert(99)
    ids = set(live.view().ids_in_box(-180, -90, 180, 90, limit=1000).tolist())
    assert ids == set(source.rows)


def test_a_big_delta_triggers_a_rebuild() -> None:
    source = FakeSource(100)
    live = LiveIndex(source, name="t", refresh_seconds=0, max_delta=10, background=False)
    live.view()
    for i in range(200, 230):
        source.upsert(i)
    view = live.view()
    assert source.loads == 2
    assert len(view.delta) == 0 and len(view.base) == 130


def test_a_source_that_lost_rows_gets_a_rebuild() -> None:
    source = FakeSource(100)
    live = LiveIndex(source, name="t", refresh_seconds=0, background=False)
    live.view()
    del source.rows[5]
    source.deleted = True
    assert live.view().total == 99
    assert source.loads == 2


def test_the_snapshot_is_written_once_and_mapped_by_other_processes(tmp_path: Path) -> None:
    source = FakeSource(500)
    first = LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0)
    view = first.view()
    assert source.loads == 1
    assert isinstance(view.base.key.base, np.memmap)  # a view of the map
    version = snapshot.current_version(tmp_path, "jobs")
    assert version == view.version

    # A second worker maps the same files instead of loading from the source.
    second = LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0)
    other = second.view()
    assert source.loads == 1
    assert other.version == version and other.total == 500
    assert other.query(-180, -90, 180, 90, 2).total == 500

    # When one rebuilds and publishes, the other switches on its next poll.
    source.upsert(900)
    first._rebuild_now()
    assert snapshot.current_version(tmp_path, "jobs") != version
    switched = second.view()
    assert switched.version == first.view().version and switched.total == 501


def test_an_unreadable_snapshot_is_rebuilt(tmp_path: Path) -> None:
    source = FakeSource(20)
    LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0).view()
    version = snapshot.current_version(tmp_path, "jobs")
    (tmp_path / "jobs" / version / "meta.json").write_text("{broken")
    view = LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0).view()
    assert view.total == 20 and view.version != version


def test_a_snapshot_of_the_previous_layout_is_rebuilt_not_served(tmp_path: Path) -> None:
    """An upgrade finds the last release's files: format 1, before the tiers existed."""
    source = FakeSource(30)
    LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0).view()
    version = snapshot.current_version(tmp_path, "jobs")
    meta_path = tmp_path / "jobs" / version / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["index"]["format"] = 1
    meta["files"] = {name: f for name, f in meta["files"].items() if "tier" not in name}
    meta_path.write_text(json.dumps(meta))
    view = LiveIndex(source, name="jobs", directory=tmp_path, refresh_seconds=0).view()
    assert view.version != version and source.loads == 2
    assert view.query(-180, -90, 180, 90, 2).total == 30


def test_old_versions_are_pruned(tmp_path: Path) -> None:
    source = FakeSource(10)
    index = SCHEMA.build(source.as_rows(sorted(source.rows)))
    for _ in range(5):
        snapshot.write(tmp_path, "jobs", index, {"token": {}})
    versions = [p for p in (tmp_path / "jobs").iterdir() if p.name.startswith("v-")]
    assert len(versions) == 3
