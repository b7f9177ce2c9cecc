"""In-memory point index over Morton keys, with server-side grid clustering at scale.

Every column is stored sorted by Morton key, so the points of any quadtree cell are one
contiguous run of rows, found with two binary searches. On top of that:

- Block prefix sums of the positions give a cell's count *and* centroid from its two row
  bounds without reading its rows (the unfiltered map).
- Low-cardinality filters (categories such as employment type, plus one banded numeric
  column such as pay) are served from posting lists: per combination, the sorted row
  numbers of its points. A cell's count under a filter is then two binary searches per
  selected combination, again without reading rows.
- Id lists (keyword hits, one company's jobs) are turned into sorted row numbers once
  (cached per list and filter) and intersected with the cells the same way.
- Only rows of cells cut by the box edge, and rows that need a per-row test (a radius, a
  date, a caller's ``mask_fn``), are read one by one.

Positions are stored as E7 integers (see :mod:`mapertunity.geo.cover`). The index is
immutable and its arrays read-only, so one instance serves every thread, and its arrays
can be memory-mapped from a snapshot shared by every process (:mod:`.snapshot`).
"""

from __future__ import annotations

import functools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

import numpy as np

from mapertunity.geo.cover import (
    TIER_LEVELS,
    Rects,
    Tier,
    box_rects,
    cover,
    from_e7,
    intersect_rects,
    to_e7,
    zoom_level,
)
from mapertunity.geo.evaluate import Plan, evaluate_cover, evaluate_rows, expand, matched_rows
from mapertunity.geo.morton import BITS, morton_keys
from mapertunity.geo.results import Aggregate, Group, QueryResult
from mapertunity.geo.tiles import tile_cover
from mapertunity.geo.where import NOTHING, IdList, Where

__all__ = ["Aggregate", "Group", "IdList", "PointIndex", "QueryResult", "Where"]

RESERVED_COLUMNS = frozenset({"id", "lat", "lng", "key"})
"""Names always present in the mapping given to ``mask_fn``; extra columns may not use them."""

DEFAULT_MAX_GROUPS = 10_000
FORMAT = 2
"""Version of the array layout; a snapshot of another version is rebuilt, not loaded."""

BLOCK = 16
"""Rows per block of the prefix sums: 1 byte per row for both coordinates."""

MAX_BANDS = 16
SMALL = 2048
"""Indexes this small answer every query by testing all rows (a delta buffer, a test)."""

CACHE_BYTES = 64 << 20
"""Budget of the per-index cache of row selections (id lists, band-tested partitions)."""

Span = tuple[int, int]
"""Morton keys ``[lo, hi)``: the points of one web-map tile."""

MaskFn = Callable[[Mapping[str, np.ndarray]], np.ndarray]
"""Takes the candidate rows' columns (``id``, ``lat``, ``lng``, ``key`` and extras) and
returns a boolean array of the same length; False hides the row."""


class _Columns(Mapping[str, np.ndarray]):
    """Candidate rows of every column, gathered only when a column is first read."""

    def __init__(self, index: PointIndex, rows: np.ndarray | slice) -> None:
        self._index = index
        self._rows = rows
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = self._index.column(name)[self._rows]
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.column_names)

    def __len__(self) -> int:
        return len(self._index.column_names)


def _readonly(a: np.ndarray) -> np.ndarray:
    if a.flags.writeable:
        a.flags.writeable = False
    return a


@functools.lru_cache(maxsize=1024)
def _rects(west: float, south: float, east: float, north: float) -> Rects:
    """A box's rectangles in quanta, kept for repeats: every tile query uses the world's,
    and every index of a view (snapshot, tombstones, delta) the same box's."""
    return Rects.of(box_rects(west, south, east, north))


class PointIndex:
    """Immutable point set sorted by Morton key; build with :meth:`PointIndex.build`."""

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
        """Wrap arrays made by :meth:`build` (or loaded from a snapshot of them)."""
        if meta.get("format") != FORMAT:
            raise ValueError(f"unsupported index format {meta.get('format')!r}")
        self._a = {name: _readonly(a) for name, a in arrays.items()}
        self.meta = dict(meta)
        self.key = self._a["key"]
        self.lat7 = self._a["lat7"]
        self.lng7 = self._a["lng7"]
        self.id = self._a["id"]
        self.code = self._a.get("code")
        self.categories: list[tuple[str, int]] = [(n, int(s)) for n, s in meta["categories"]]
        self.band: str | None = meta.get("band")
        self.bands = int(meta.get("bands", 1))
        self.band_edges = np.asarray(meta.get("edges", [0]), dtype=np.int64)
        self.band_column = self._a.get(f"v:{self.band}") if self.band else None
        self.tiers = [
            Tier(level, self._a[f"tier{level}_cell"], self._a[f"tier{level}_row"])
            for level in TIER_LEVELS
        ]
        self._cache: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        lats: np.ndarray,
        lngs: np.ndarray,
        columns: Mapping[str, np.ndarray] | None = None,
        *,
        categories: Mapping[str, tuple[np.ndarray, int]] | None = None,
        values: Mapping[str, np.ndarray] | None = None,
        band: str | None = None,
    ) -> PointIndex:
        """Sort the points by key and lay out every structure. Raises ValueError on bad input.

        ``categories`` maps a name to ``(codes, cardinality)`` with codes in
        ``[0, cardinality)``; ``values`` maps a name to non-negative integers (their dtype
        is kept: pass uint16 where it fits); ``band`` names a values column that is also
        split into quantile bands, so a minimum on it is served from posting lists too.
        Positions are rounded to 1e-7 degree. ``columns`` are extra columns for ``mask_fn``.
        """
        ids = np.asarray(ids, dtype=np.int64).ravel()
        lats = np.asarray(lats, dtype=np.float64).ravel()
        lngs = np.asarray(lngs, dtype=np.float64).ravel()
        n = len(ids)
        if len(lats) != n or len(lngs) != n:
            raise ValueError("ids, lats and lngs must have the same length")
        if not (np.isfinite(lats).all() and np.isfinite(lngs).all()):
            raise ValueError("coordinates must be finite")
        if n and (np.abs(lats).max() > 90 or np.abs(lngs).max() > 180):
            raise ValueError("coordinates must be within ±90 and ±180 degrees")

        def checked(name: str, column: np.ndarray) -> np.ndarray:
            if name in RESERVED_COLUMNS:
                raise ValueError(f"column name {name!r} is reserved")
            column = np.asarray(column)
            if column.shape != (n,):
                raise ValueError(f"column {name!r} must be 1-D with {n} rows")
            return column

        extra = {name: checked(name, c) for name, c in (columns or {}).items()}
        cats = {
            name: (checked(name, c), int(size)) for name, (c, size) in (categories or {}).items()
        }
        vals = {name: checked(name, c) for name, c in (values or {}).items()}
        if band is not None and band not in vals:
            raise ValueError(f"band column {band!r} must be one of the values")
        for name, (codes, size) in cats.items():
            if n and (codes.min() < 0 or codes.max() >= size):
                raise ValueError(f"category {name!r} has codes outside [0, {size})")
        for name, column in vals.items():
            if n and column.min() < 0:
                raise ValueError(f"value column {name!r} must not be negative")

        lat7, lng7 = to_e7(lats), to_e7(lngs)
        # Keys from the rounded positions, so cells and row tests see the same point.
        keys = morton_keys(from_e7(lat7), from_e7(lng7))
        order = np.argsort(keys, kind="stable")
        id_dtype = np.int32 if not n or (ids.min() >= 0 and ids.max() < 2**31) else np.int64
        arrays: dict[str, np.ndarray] = {
            "key": keys[order],
            "lat7": lat7[order],
            "lng7": lng7[order],
            "id": ids[order].astype(id_dtype),
        }
        for name, column in extra.items():
            arrays[f"x:{name}"] = column[order]
        for name, column in vals.items():
            arrays[f"v:{name}"] = column[order]

        meta: dict[str, Any] = {
            "format": FORMAT,
            "block": BLOCK,
            "categories": [[name, size] for name, (_, size) in cats.items()],
            "values": list(vals),
            "extras": list(extra),
            "band": band,
        }
        combos = math.prod(size for _, size in cats.values())
        if cats or band:
            if combos > 255:
                raise ValueError("categories combine into more than 255 partitions")
            code = np.zeros(n, dtype=np.int64)
            for codes, size in cats.values():
                code = code * size + codes[order].astype(np.int64)
            if band is not None:
                bands = max(1, min(MAX_BANDS, 255 // combos))
                column = arrays[f"v:{band}"]
                edges = np.unique(
                    np.quantile(column, np.linspace(0, 1, bands + 1)[:-1]).astype(np.int64)
                    if n
                    else np.zeros(1, dtype=np.int64)
                )
                edges[0] = 0
                meta["edges"] = edges.tolist()
                meta["bands"] = len(edges)
                code = code * len(edges) + (np.searchsorted(edges, column, side="right") - 1)
            else:
                meta["bands"] = 1
            parts = combos * meta["bands"]
            arrays["code"] = code.astype(np.uint8)
            arrays["post"] = np.argsort(arrays["code"], kind="stable").astype(np.int32)
            arrays["post_off"] = np.concatenate(
                ([0], np.cumsum(np.bincount(arrays["code"], minlength=parts)))
            ).astype(np.int64)

        blocks = -(-n // BLOCK)
        for axis in ("lat7", "lng7"):
            padded = np.zeros(blocks * BLOCK, dtype=np.int64)
            padded[:n] = arrays[axis]
            sums = padded.reshape(blocks, BLOCK).sum(axis=1)
            arrays[f"bsum_{axis}"] = np.concatenate(([0], np.cumsum(sums))).astype(np.int64)

        tiers = Tier.levels_of(arrays["key"])
        for tier in tiers:
            arrays[f"tier{tier.level}_cell"] = tier.cell
            arrays[f"tier{tier.level}_row"] = tier.row
        # Exact prefix sums at the first row of every cell of the finest tier, so a cover
        # made of tier cells needs no row read for its centroids.
        for axis in ("lat7", "lng7"):
            running = np.concatenate(([0], np.cumsum(arrays[axis], dtype=np.int64)))
            arrays[f"tier_sum_{axis}"] = running[tiers[-1].row]

        sorted_ids = arrays["id"]
        if n and ids.min() >= 0 and ids.max() < max(2 * n, 1024):
            lookup = np.full(int(ids.max()) + 1, -1, dtype=np.int32)
            lookup[sorted_ids] = np.arange(n, dtype=np.int32)
            arrays["pos_of_id"] = lookup
            meta["lookup"] = "dense"
        else:
            by_id = np.argsort(sorted_ids, kind="stable")
            arrays["ids_sorted"] = sorted_ids[by_id].astype(np.int64)
            arrays["ids_pos"] = by_id.astype(np.int32)
            meta["lookup"] = "sorted"
        return cls(arrays, meta)

    # -- introspection --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.key)

    @property
    def arrays(self) -> Mapping[str, np.ndarray]:
        """Every array of the index, for saving a snapshot."""
        return self._a

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays."""
        return sum(int(a.nbytes) for a in self._a.values())

    @property
    def column_names(self) -> list[str]:
        names = ["key", "id", "lat", "lng", *self.meta["extras"], *self.meta["values"]]
        return names + [name for name, _ in self.categories]

    def column(self, name: str) -> np.ndarray:
        """One key-sorted column by name (positions as float degrees)."""
        if name in ("lat", "lng"):
            return _readonly(from_e7(self.lat7 if name == "lat" else self.lng7))
        if name in ("key", "id"):
            return self._a[name]
        for prefix in ("x:", "v:"):
            if f"{prefix}{name}" in self._a:
                return self._a[f"{prefix}{name}"]
        for i, (category, _) in enumerate(self.categories):
            if category == name:
                assert self.code is not None  # categories imply a code column
                code = self.code.astype(np.int64) // self.bands
                for _, size in self.categories[i + 1 :]:
                    code //= size
                return _readonly(code % self.categories[i][1])
        raise KeyError(name)

    def value_column(self, name: str) -> np.ndarray:
        if f"v:{name}" not in self._a:
            raise KeyError(f"no value column {name!r}")
        return self._a[f"v:{name}"]

    @property
    def columns(self) -> Mapping[str, np.ndarray]:
        """Key-sorted read-only columns, including ``key``, ``id``, ``lat`` and ``lng``."""
        return {name: self.column(name) for name in self.column_names}

    def columns_of(self, rows: np.ndarray | slice) -> Mapping[str, np.ndarray]:
        """Lazily gathered columns of some rows (what ``mask_fn`` receives)."""
        return _Columns(self, rows)

    def partition(self, code: int) -> np.ndarray:
        """Sorted rows of one filter combination."""
        off = self._a["post_off"]
        return self._a["post"][off[code] : off[code + 1]]

    def prefix_sums(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(sum(lat7[:i]), sum(lng7[:i]))`` for each ``i``: kept where ``i`` is where a
        cell of the finest tier starts, else from the blocks (:meth:`block_sums`)."""
        starts = self.tiers[-1].row
        at = np.minimum(np.searchsorted(starts, idx), len(starts) - 1)
        kept = starts[at] == idx
        lat, lng = self._a["tier_sum_lat7"][at], self._a["tier_sum_lng7"][at]
        if not kept.all():
            missed = ~kept
            lat[missed], lng[missed] = self.block_sums(idx[missed])
        return lat, lng

    def block_sums(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(sum(lat7[:i]), sum(lng7[:i]))`` for each ``i``: a block prefix sum plus the
        rows between ``i`` and the nearer block boundary (at most ``BLOCK // 2``)."""
        block, rest = idx // BLOCK, idx % BLOCK
        down = rest <= BLOCK // 2
        # Rows [block start, i) added to the block's sum, or rows [i, block end) taken from
        # the next block's sum, whichever is shorter.
        start = np.where(down, idx - rest, idx)
        length = np.where(down, rest, BLOCK - rest)
        rows = start[:, None] + np.arange(BLOCK // 2, dtype=np.int64)
        valid = (rows < (start + length)[:, None]) & (rows < len(self))
        rows = np.minimum(rows, len(self) - 1)
        base = np.where(down, block, block + 1)
        sign = np.where(down, 1, -1)
        sums = []
        for axis in (self.lat7, self.lng7):
            part = np.where(valid, axis[rows], 0).sum(axis=1)
            sums.append(
                self._a[f"bsum_{'lat7' if axis is self.lat7 else 'lng7'}"][base] + sign * part
            )
        return sums[0], sums[1]

    # -- id lists and cached selections ---------------------------------------------------

    def row_of(self, ids: np.ndarray) -> np.ndarray:
        """The row of each id, in the given order (-1 for an id not in the index)."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        if not len(ids) or not len(self):
            return np.full(len(ids), -1, dtype=np.int64)
        if self.meta["lookup"] == "dense":
            lookup = self._a["pos_of_id"]
            inside = (ids >= 0) & (ids < len(lookup))
            rows = np.full(len(ids), -1, dtype=np.int64)
            rows[inside] = lookup[ids[inside]]
            return rows
        table = self._a["ids_sorted"]
        at = np.minimum(np.searchsorted(table, ids), len(table) - 1)
        return np.where(table[at] == ids, self._a["ids_pos"][at], -1).astype(np.int64)

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Sorted row numbers of the given ids that are in the index."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        if not len(ids) or not len(self):
            return np.empty(0, dtype=np.int64)
        if self.meta["lookup"] == "dense":
            lookup = self._a["pos_of_id"]
            ids = ids[(ids >= 0) & (ids < len(lookup))]
            pos = lookup[ids].astype(np.int64)
            pos = pos[pos >= 0]
        else:
            table = self._a["ids_sorted"]
            at = np.minimum(np.searchsorted(table, ids), len(table) - 1)
            pos = self._a["ids_pos"][at[table[at] == ids]].astype(np.int64)
        if len(pos) * 32 < len(self):
            return np.unique(pos)
        # Many ids: marking rows and reading the marks back beats sorting them.
        marks = np.zeros(len(self), dtype=bool)
        marks[pos] = True
        return np.flatnonzero(marks)

    def cached(self, key: Hashable, make: Callable[[], np.ndarray]) -> np.ndarray:
        """A derived row array, kept in a small LRU cache for the life of the index."""
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        value = _readonly(make())
        with self._lock:
            if key not in self._cache:
                self._cache[key] = value
                self._cache_bytes += value.nbytes
            while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self._cache_bytes -= old.nbytes
        return value

    # -- queries --------------------------------------------------------------------------

    def _boxes(self, west: float, south: float, east: float, north: float, where: Where) -> Rects:
        if where.near is None:
            return _rects(west, south, east, north)
        boxes = box_rects(west, south, east, north)
        return Rects.of(intersect_rects(boxes, box_rects(*where.near.box())))

    def aggregate(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        zoom: float,
        *,
        where: Where = NOTHING,
        mask_fn: MaskFn | None = None,
        max_groups: int | None = DEFAULT_MAX_GROUPS,
        level: int | None = None,
        span: Span | None = None,
    ) -> Aggregate:
        """Per-cell sums for a box and zoom; see :meth:`query`.

        ``level`` forces the cluster level (no coarsening), so that aggregates of several
        indexes over one box can be combined cell by cell. ``span`` keeps only the points
        whose key lies in ``[lo, hi)``: a web-map tile (:func:`~.tiles.tile_span`), whose
        cells are then found without a cover of the box.
        """
        if level is None:
            level = zoom_level(zoom)
        else:
            max_groups = None
        rects = self._boxes(west, south, east, north, where)
        if not len(rects) or not len(self):
            return Aggregate.empty(level)
        plan = Plan(self, where, mask_fn)
        if plan.nothing:
            return Aggregate.empty(level)
        if len(self) <= SMALL:
            rows = self._span_rows(span)
            return evaluate_rows(self, rows, rects, level, plan, max_groups)
        if span is not None:
            return evaluate_cover(self, tile_cover(self.key, span, level), rects, plan)
        cov = cover(self.key, rects, level, max_groups=max_groups, tiers=self.tiers)
        return evaluate_cover(self, cov, rects, plan)

    def _span_rows(self, span: Span | None) -> np.ndarray:
        if span is None:
            return np.arange(len(self), dtype=np.int64)
        return np.arange(*np.searchsorted(self.key, span), dtype=np.int64)

    def in_span(self, rows: np.ndarray, span: Span | None) -> np.ndarray:
        """Those of the rows whose key lies in the span (all of them without one)."""
        if span is None:
            return rows
        keys = self.key[rows]
        return rows[(keys >= span[0]) & (keys < span[1])]

    def aggregate_rows(
        self,
        rows: np.ndarray,
        west: float,
        south: float,
        east: float,
        north: float,
        *,
        level: int,
        where: Where = NOTHING,
        mask_fn: MaskFn | None = None,
    ) -> Aggregate:
        """Like :meth:`aggregate` at a fixed level, over the given sorted rows only."""
        rects = self._boxes(west, south, east, north, where)
        if not len(rects) or not len(rows):
            return Aggregate.empty(level)
        plan = Plan(self, where, mask_fn)
        if plan.nothing:
            return Aggregate.empty(level)
        rows = np.asarray(rows, dtype=np.int64)
        return evaluate_rows(self, rows, rects, level, plan, None)

    def rows_in_cells(self, cells: np.ndarray, level: int) -> np.ndarray:
        """Sorted rows whose key lies in one of the quadtree cells (``key >> shift``)."""
        cells = np.unique(np.asarray(cells, dtype=np.int64))
        if not len(cells) or not len(self):
            return np.empty(0, dtype=np.int64)
        shift = 2 * (BITS - level)
        bounds = np.searchsorted(self.key, np.concatenate((cells << shift, (cells + 1) << shift)))
        starts, stops = bounds[: len(cells)], bounds[len(cells) :]
        rows, _ = expand(starts, stops - starts)
        return rows

    def match_rows(
        self,
        rows: np.ndarray,
        west: float,
        south: float,
        east: float,
        north: float,
        *,
        where: Where = NOTHING,
        mask_fn: MaskFn | None = None,
    ) -> np.ndarray:
        """Those of the given sorted rows that lie in the box and pass the filters."""
        rows = np.asarray(rows, dtype=np.int64)
        rects = self._boxes(west, south, east, north, where)
        if not len(rects) or not len(rows):
            return np.empty(0, dtype=np.int64)
        plan = Plan(self, where, mask_fn)
        if plan.nothing:
            return np.empty(0, dtype=np.int64)
        if plan.selection is not None:
            rows = rows[np.isin(rows, plan.selection, assume_unique=True)]
        return rows[plan.test(rows, rects, box=True)]

    def query(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        zoom: float,
        mask_fn: MaskFn | None = None,
        *,
        where: Where = NOTHING,
        max_groups: int = DEFAULT_MAX_GROUPS,
    ) -> QueryResult:
        """Count and cluster the points in an inclusive box that pass the filters.

        ``west > east`` means the box crosses the antimeridian (see
        :func:`~mapertunity.geo.morton.normalize_bbox`). Clusters are Morton cells about 64 px
        wide at ``zoom``; if the box holds more than ``max_groups`` occupied cells they are
        coarsened a level at a time, so a hostile zoom/box pair cannot make the server
        build millions of objects.
        """
        agg = self.aggregate(
            west, south, east, north, zoom, where=where, mask_fn=mask_fn, max_groups=max_groups
        )
        return agg.result(box_rects(west, south, east, north))

    def count(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        mask_fn: MaskFn | None = None,
        *,
        where: Where = NOTHING,
    ) -> int:
        """Number of points in the inclusive box that pass the filters."""
        return self.aggregate(
            west, south, east, north, 0, where=where, mask_fn=mask_fn, max_groups=64
        ).total

    def ids_in_box(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        limit: int,
        mask_fn: MaskFn | None = None,
        offset: int = 0,
        *,
        where: Where = NOTHING,
    ) -> np.ndarray:
        """Ids of matched points in key order, skipping ``offset`` and capped at ``limit``.

        Key order is spatially coherent, not meaningful to users; re-order by whatever the
        list needs after fetching rows. Stops reading once enough are found.
        """
        wanted = max(offset, 0) + max(limit, 0)
        rects = self._boxes(west, south, east, north, where)
        if not len(rects) or not len(self) or not wanted:
            return np.empty(0, dtype=np.int64)
        plan = Plan(self, where, mask_fn)
        if plan.nothing:
            return np.empty(0, dtype=np.int64)
        cov = cover(self.key, rects, 2, max_groups=64, tiers=self.tiers)
        rows = matched_rows(self, cov, rects, plan, wanted)
        return self.id[rows[max(offset, 0) : wanted]].astype(np.int64)
