"""A geo index kept in step with its source: snapshot + tombstones + delta buffer.

The big, immutable snapshot is built from all rows at once (and shared between processes
through :mod:`.snapshot`). Between rebuilds each process polls its source for changes at
most every ``refresh_seconds``: a changed or removed point gets a tombstone on its
snapshot row, and its new state (if it is still on the map) goes into a small delta index.
A query adds the delta's per-cell sums to the snapshot's and subtracts the tombstoned
rows', so a write shows on the next poll without a rebuild. When the delta grows past a
share of the snapshot, or on request, a new snapshot is built in a background thread.

The source is anything with ``load()`` and ``poll(token)`` (see :class:`Source`); it knows
the database, this module does not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from mapertunity.geo import snapshot
from mapertunity.geo.cover import box_rects
from mapertunity.geo.index import DEFAULT_MAX_GROUPS, MaskFn, PointIndex
from mapertunity.geo.results import Aggregate, QueryResult
from mapertunity.geo.where import NOTHING, Where

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schema:
    """The filter columns of an index: categories (name → cardinality) and value columns."""

    categories: Mapping[str, int] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    band: str | None = None

    def build(self, rows: Rows) -> PointIndex:
        return PointIndex.build(
            rows.ids,
            rows.lats,
            rows.lngs,
            categories={n: (rows.categories[n], size) for n, size in self.categories.items()},
            values={n: rows.values[n] for n in self.values},
            band=self.band,
        )

    def describe(self) -> dict[str, Any]:
        return {"categories": dict(self.categories), "values": list(self.values), "band": self.band}


@dataclass(frozen=True)
class Rows:
    """Points as parallel arrays, with their filter columns."""

    ids: np.ndarray
    lats: np.ndarray
    lngs: np.ndarray
    categories: Mapping[str, np.ndarray] = field(default_factory=dict)
    values: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, which: np.ndarray) -> Rows:
        return Rows(
            self.ids[which],
            self.lats[which],
            self.lngs[which],
            {n: c[which] for n, c in self.categories.items()},
            {n: c[which] for n, c in self.values.items()},
        )

    @staticmethod
    def concat(parts: list[Rows]) -> Rows:
        first = parts[0]
        return Rows(
            np.concatenate([p.ids for p in parts]),
            np.concatenate([p.lats for p in parts]),
            np.concatenate([p.lngs for p in parts]),
            {n: np.concatenate([p.categories[n] for p in parts]) for n in first.categories},
            {n: np.concatenate([p.values[n] for p in parts]) for n in first.values},
        )


@dataclass(frozen=True)
class Changes:
    """What a poll found: rows to show (new or changed), ids to hide, the new token."""

    rows: Rows | None
    gone: np.ndarray
    token: dict[str, Any]
    rebuild: bool = False
    """The source cannot describe the change as rows (e.g. rows were deleted): rebuild."""


class Source(Protocol):
    schema: Schema

    def load(self) -> tuple[Rows, dict[str, Any]]:
        """Every point that should be on the map, and a token for the state they reflect."""

    def poll(self, token: dict[str, Any]) -> Changes | None:
        """Changes since ``token`` (None if nothing changed). Must be cheap when idle."""


@dataclass(frozen=True)
class View:
    """One consistent state of a live index: snapshot, tombstoned rows, delta."""

    base: PointIndex
    tombs: np.ndarray
    """Sorted snapshot rows that no longer count."""
    delta: PointIndex
    delta_rows: Rows
    version: str
    """Names the snapshot; changes when a new one is swapped in."""
    serial: int
    """Increases with every change applied; with ``version`` it names this exact state."""

    @property
    def total(self) -> int:
        return len(self.base) - len(self.tombs) + len(self.delta)

    @property
    def delta_ids(self) -> np.ndarray:
        return self.delta_rows.ids

    def aggregate(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        zoom: float,
        *,
        where: Where = NOTHING,
        delta_where: Where | None = None,
        mask_fn: MaskFn | None = None,
        max_groups: int | None = DEFAULT_MAX_GROUPS,
    ) -> Aggregate:
        """Cell sums of snapshot − tombstones + delta. ``delta_where`` replaces ``where``'s
        id list for the delta (an id list fetched for the snapshot may miss new rows)."""
        box = (west, south, east, north)
        base = self.base.aggregate(*box, zoom, where=where, mask_fn=mask_fn, max_groups=max_groups)
        level = base.level
        parts = [(base, 1)]
        if len(self.tombs):
            gone = self.base.aggregate_rows(
                self.tombs, *box, level=level, where=where, mask_fn=mask_fn
            )
            parts.append((gone, -1))
        if len(self.delta):
            added = self.delta.aggregate(
                *box, zoom, where=delta_where or where, mask_fn=mask_fn, level=level
            )
            parts.append((added, 1))
        agg = Aggregate.combine(level, parts)
        if len(parts) > 1 and len(agg):
            agg = self._resolve_singles(agg, box, where, delta_where or where, mask_fn, parts)
        return agg

    def _resolve_singles(
        self,
        agg: Aggregate,
        box: tuple[float, float, float, float],
        where: Where,
        delta_where: Where,
        mask_fn: MaskFn | None,
        parts: list[tuple[Aggregate, int]],
    ) -> Aggregate:
        """Find the member of one-member cells whose member the sums cannot name."""
        touched = np.concatenate([p.cell for p, sign in parts if sign < 0] or [np.empty(0)])
        unsure = (agg.count == 1) & ((agg.one < 0) | np.isin(agg.cell, touched))
        if not unsure.any():
            return agg
        shift = agg.shift
        for i in np.flatnonzero(unsure).tolist():
            cell = int(agg.cell[i])
            lo, hi = cell << shift, (cell + 1) << shift
            found = None
            rows = np.arange(*np.searchsorted(self.base.key, [lo, hi]), dtype=np.int64)
            rows = rows[~np.isin(rows, self.tombs, assume_unique=True)]
            if len(rows):
                exact = self.base.aggregate_rows(
                    rows, *box, level=agg.level, where=where, mask_fn=mask_fn
                )
                if exact.total == 1:
                    found = exact
            if found is None and len(self.delta):
                rows = np.arange(*np.searchsorted(self.delta.key, [lo, hi]), dtype=np.int64)
                exact = self.delta.aggregate_rows(
                    rows, *box, level=agg.level, where=delta_where, mask_fn=mask_fn
                )
                if exact.total == 1:
                    found = exact
            if found is not None:
                agg.slat[i], agg.slng[i] = found.slat[0], found.slng[0]
                agg.kmin[i], agg.kmax[i], agg.one[i] = found.kmin[0], found.kmax[0], found.one[0]
        return agg

    def query(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        zoom: float,
        *,
        where: Where = NOTHING,
        delta_where: Where | None = None,
        mask_fn: MaskFn | None = None,
        max_groups: int = DEFAULT_MAX_GROUPS,
    ) -> QueryResult:
        agg = self.aggregate(
            west,
            south,
            east,
            north,
            zoom,
            where=where,
            delta_where=delta_where,
            mask_fn=mask_fn,
            max_groups=max_groups,
        )
        return agg.result(box_rects(west, south, east, north))

    def count(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        *,
        where: Where = NOTHING,
        delta_where: Where | None = None,
        mask_fn: MaskFn | None = None,
    ) -> int:
        return self.aggregate(
            west,
            south,
            east,
            north,
            0,
            where=where,
            delta_where=delta_where,
            mask_fn=mask_fn,
            max_groups=64,
        ).total

    def ids_in_box(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        limit: int,
        offset: int = 0,
        *,
        where: Where = NOTHING,
        delta_where: Where | None = None,
        mask_fn: MaskFn | None = None,
    ) -> np.ndarray:
        """Matching ids: the snapshot's in key order, then the delta's."""
        box = (west, south, east, north)
        wanted = max(offset, 0) + max(limit, 0)
        base = self.base.ids_in_box(*box, wanted + len(self.tombs), where=where, mask_fn=mask_fn)
        if len(self.tombs):
            gone = self.base.id[self.tombs]
            base = base[~np.isin(base, gone)]
        added = self.delta.ids_in_box(*box, wanted, where=delta_where or where, mask_fn=mask_fn)
        return np.concatenate((base, added))[max(offset, 0) : wanted]


class LiveIndex:
    """The current :class:`View` of a source, refreshed on demand.

    ``directory`` enables the shared snapshot: the first process to need an index builds
    and writes it, the others map it; whoever rebuilds later publishes the new version and
    the others switch to it on their next poll. The delta is rebuilt on every change, so
    it is kept small: past ``max_delta`` rows or ``max_delta_share`` of the snapshot
    (whichever is more), a new snapshot is built in the background.
    """

    def __init__(
        self,
        source: Source,
        *,
        name: str,
        directory: Path | None = None,
        refresh_seconds: float | Callable[[], float] = 0.5,
        max_delta: int = 20_000,
        max_delta_share: float = 0.005,
        background: bool = True,
    ) -> None:
        self.source = source
        self.name = name
        self.directory = Path(directory) if directory else None
        self._refresh = refresh_seconds
        self.max_delta = max_delta
        self.max_delta_share = max_delta_share
        self.background = background
        self._lock = threading.RLock()
        self._view: View | None = None
        self._token: dict[str, Any] = {}
        self._checked = 0.0
        self._serial = 0
        self._rebuilding: threading.Thread | None = None

    def _refresh_seconds(self) -> float:
        return self._refresh() if callable(self._refresh) else self._refresh

    def view(self) -> View:
        """The current state, after polling the source if the last poll is old enough."""
        view = self._view
        if view is not None and time.monotonic() - self._checked < self._refresh_seconds():
            return view
        with self._lock:
            if self._view is None:
                self._start()
            elif time.monotonic() - self._checked >= self._refresh_seconds():
                self._poll()
            self._checked = time.monotonic()
            return self._view

    def reset(self) -> None:
        """Forget everything; the next :meth:`view` loads or builds afresh (tests, commands)."""
        with self._lock:
            self._view = None
            self._token = {}
            self._checked = 0.0

    # -- internals ------------------------------------------------------------------------

    def _start(self) -> None:
        """Map the shared snapshot if there is a usable one, else build (and share) one."""
        if self.directory is not None:
            if self._load_current():
                self._poll()
                return
            with snapshot.build_lock(self.directory, self.name, wait=True):
                # Someone may have finished building while we waited for the lock.
                if self._load_current():
                    self._poll()
                    return
                self._install(*self._build(), publish=True)
            return
        self._install(*self._build(), publish=False)

    def _load_current(self) -> bool:
        version = snapshot.current_version(self.directory, self.name)
        if version is None:
            return False
        try:
            index, source = snapshot.load(self.directory, self.name, version)
        except (OSError, ValueError, KeyError) as error:
            log.warning("map index snapshot %s unusable (%s); rebuilding", version, error)
            return False
        if source.get("schema") != self.source.schema.describe():
            return False
        self._set(index, source["token"], version)
        return True

    def _build(self) -> tuple[PointIndex, dict[str, Any]]:
        rows, token = self.source.load()
        return self.source.schema.build(rows), token

    def _install(self, index: PointIndex, token: dict[str, Any], *, publish: bool) -> None:
        version = f"mem-{time.time_ns()}"
        if publish and self.directory is not None:
            source = {"token": token, "schema": self.source.schema.describe()}
            version = snapshot.write(self.directory, self.name, index, source)
            # Serve the mapped copy, so this process shares pages with the others.
            index, _ = snapshot.load(self.directory, self.name, version)
        self._set(index, token, version)

    def _set(self, index: PointIndex, token: dict[str, Any], version: str) -> None:
        self._serial += 1
        empty = Rows(
            np.empty(0, dtype=np.int64),
            np.empty(0),
            np.empty(0),
            {n: np.empty(0, dtype=np.int64) for n in self.source.schema.categories},
            {n: np.empty(0, dtype=np.int64) for n in self.source.schema.values},
        )
        self._token = dict(token)
        self._view = View(
            base=index,
            tombs=np.empty(0, dtype=np.int64),
            delta=self.source.schema.build(empty),
            delta_rows=empty,
            version=version,
            serial=self._serial,
        )

    def _poll(self) -> None:
        if self.directory is not None:
            version = snapshot.current_version(self.directory, self.name)
            if version is not None and version > self._view.version:
                # Another process published a newer snapshot: switch to it.
                self._load_current()
        changes = self.source.poll(self._token)
        if changes is None:
            return
        if changes.rebuild:
            log.info("map index %s: source asks for a rebuild", self.name)
            self._rebuild_now()
            return
        self._apply(changes)

    def _apply(self, changes: Changes) -> None:
        view = self._view
        changed = changes.gone.astype(np.int64)
        if changes.rows is not None and len(changes.rows):
            changed = np.concatenate((changed, changes.rows.ids.astype(np.int64)))
        tombs = view.tombs
        if len(changed):
            tombs = np.union1d(tombs, view.base.positions_of(changed))
        keep = ~np.isin(view.delta_rows.ids, changed)
        parts = [view.delta_rows.take(keep)]
        if changes.rows is not None and len(changes.rows):
            parts.append(changes.rows)
        delta_rows = Rows.concat(parts)
        self._serial += 1
        self._token = dict(changes.token)
        self._view = replace(
            view,
            tombs=tombs,
            delta=self.source.schema.build(delta_rows),
            delta_rows=delta_rows,
            serial=self._serial,
        )
        limit = max(self.max_delta, int(len(view.base) * self.max_delta_share))
        if len(delta_rows) + len(tombs) > limit:
            self.rebuild_soon()

    def _rebuild_now(self) -> None:
        if self.directory is None:
            self._install(*self._build(), publish=False)
            return
        with snapshot.build_lock(self.directory, self.name, wait=True):
            self._install(*self._build(), publish=True)
        self._poll()

    def rebuild_soon(self) -> None:
        """Build a new snapshot in a background thread and swap it in when done."""
        if not self.background:
            self._rebuild_now()
            return
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return
        self._rebuilding = threading.Thread(
            target=self._rebuild_in_background, name=f"rebuild-{self.name}", daemon=True
        )
        self._rebuilding.start()

    def _rebuild_in_background(self) -> None:
        try:
            if self.directory is not None:
                with snapshot.build_lock(self.directory, self.name, wait=False) as mine:
                    if not mine:
                        return  # another process is building; we switch when it publishes
                    index, token = self._build()
                    source = {"token": token, "schema": self.source.schema.describe()}
                    version = snapshot.write(self.directory, self.name, index, source)
                    index, _ = snapshot.load(self.directory, self.name, version)
            else:
                index, token = self._build()
                version = f"mem-{time.time_ns()}"
            with self._lock:
                self._set(index, token, version)
                self._poll()
        except Exception:
            log.exception("map index %s: background rebuild failed", self.name)
        finally:
            close = getattr(self.source, "close", None)
            if close is not None:
                close()
