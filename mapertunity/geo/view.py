"""One consistent state of a live index: snapshot − tombstones + delta, queried as one.

A :class:`View` is immutable: :mod:`.live` makes a new one for every change it applies, and
a request keeps answering from the view it started with. Its ``version`` names the
snapshot and ``serial`` every change on top of it, so ``(version, serial)`` (``state``)
names exactly what a cached answer was computed from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mapertunity.geo.cover import box_rects
from mapertunity.geo.index import DEFAULT_MAX_GROUPS, MaskFn, PointIndex, Span
from mapertunity.geo.results import Aggregate, QueryResult
from mapertunity.geo.where import NOTHING, Where


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

    @classmethod
    def empty(cls, schema: Schema) -> Rows:
        return cls(
            np.empty(0, dtype=np.int64),
            np.empty(0),
            np.empty(0),
            {n: np.empty(0, dtype=np.int64) for n in schema.categories},
            {n: np.empty(0, dtype=np.int64) for n in schema.values},
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


TOUCH_LOG = 256
"""Changes a view remembers; a cache that fell further behind starts afresh."""


@dataclass(frozen=True, slots=True)
class Touch:
    """One applied change: the serial it made, and the keys (old and new positions) and ids
    of the points it moved, added or removed."""

    serial: int
    keys: np.ndarray
    ids: np.ndarray


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
    stale: bool = False
    """The source has changes this view does not hold yet (a snapshot being caught up, or a
    rebuild under way): answers are right for a moment ago, and say so."""
    touched: tuple[Touch, ...] = ()
    """The latest changes on top of the snapshot, oldest first (at most ``TOUCH_LOG``): what
    each serial moved, so a cache can drop only the answers of the tiles it touched."""

    @property
    def state(self) -> tuple[str, int]:
        """What a cached answer derived from this view depends on."""
        return self.version, self.serial

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
        level: int | None = None,
        span: Span | None = None,
    ) -> Aggregate:
        """Cell sums of snapshot − tombstones + delta. ``delta_where`` replaces ``where``'s
        id list for the delta (an id list fetched for the snapshot may miss new rows).
        ``level`` forces the cell level, so aggregates of two filters can be added up;
        ``span`` keeps one tile's points (see :meth:`PointIndex.aggregate`)."""
        box = (west, south, east, north)
        base = self.base.aggregate(
            *box, zoom, where=where, mask_fn=mask_fn, max_groups=max_groups, level=level, span=span
        )
        level = base.level
        parts = [(base, 1)]
        tombs = self.base.in_span(self.tombs, span)
        if len(tombs):
            gone = self.base.aggregate_rows(tombs, *box, level=level, where=where, mask_fn=mask_fn)
            parts.append((gone, -1))
        if len(self.delta):
            added = self.delta.aggregate(
                *box, zoom, where=delta_where or where, mask_fn=mask_fn, level=level, span=span
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

    def ids_in_cells(
        self,
        cells: np.ndarray,
        level: int,
        west: float,
        south: float,
        east: float,
        north: float,
        *,
        where: Where = NOTHING,
        delta_where: Where | None = None,
        mask_fn: MaskFn | None = None,
    ) -> np.ndarray:
        """Ids of the matching points in the box whose cell at ``level`` is one of ``cells``
        (what a cluster of a query at that level counted): the snapshot's, then the delta's."""
        box = (west, south, east, north)
        rows = self.base.rows_in_cells(cells, level)
        if len(self.tombs):
            rows = rows[~np.isin(rows, self.tombs, assume_unique=True)]
        base = self.base.match_rows(rows, *box, where=where, mask_fn=mask_fn)
        added = self.delta.match_rows(
            self.delta.rows_in_cells(cells, level),
            *box,
            where=delta_where or where,
            mask_fn=mask_fn,
        )
        return np.concatenate((self.base.id[base], self.delta.id[added])).astype(np.int64)
