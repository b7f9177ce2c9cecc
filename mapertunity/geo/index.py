"""In-memory point index over Morton keys, with server-side grid clustering.

All columns are stored sorted by Morton key. A query turns the box into a few key ranges,
slices the sorted arrays with ``np.searchsorted``, filters precisely on the raw float64
lat/lng (the same comparisons as SQL ``BETWEEN`` on double columns), and clusters by taking
runs of equal ``key >> shift`` in one pass: sorted keys make every cluster cell contiguous,
so there is no sort at query time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from mapertunity.geo.morton import (
    BITS,
    DEFAULT_MAX_RANGES,
    bbox_key_ranges,
    morton_keys,
    normalize_bbox,
    shift_for_zoom,
)

RESERVED_COLUMNS = frozenset({"id", "lat", "lng", "key"})
"""Names always present in the mapping given to ``mask_fn``; extra columns may not use them."""

DEFAULT_MAX_GROUPS = 10_000

MaskFn = Callable[[Mapping[str, np.ndarray]], np.ndarray]
"""Takes the candidate rows' columns (``id``, ``lat``, ``lng``, ``key`` and extras) and
returns a boolean array of the same length; False hides the row."""

# Key-sorted spans closer than this many rows are read as one slice: scanning a few extra
# rows is cheaper than another concatenate piece.
_SPAN_GAP = 256
_HULL_FILL = 2
# ids_in_box scans in chunks so a small limit stops early inside one huge span.
_ID_CHUNK = 65_536


@dataclass(frozen=True, slots=True)
class Group:
    """One cluster cell (or a single point when ``count == 1``)."""

    count: int
    lat: float
    lng: float
    bbox: tuple[float, float, float, float]
    """``(west, south, east, north)`` of the members; a cell never crosses the antimeridian."""
    id: int | None
    """The point's id when ``count == 1``, else None."""
    cell: int
    """``key >> shift`` of the cell: stable within one zoom, handy as a marker key."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Matched point count and clusters for one viewport."""

    total: int
    groups: list[Group]
    shift: int
    """Key shift actually used (larger than ``shift_for_zoom`` if ``max_groups`` forced it)."""


class _Columns(Mapping[str, np.ndarray]):
    """Candidate rows of every column, gathered only when a column is first read."""

    def __init__(self, source: Mapping[str, np.ndarray], spans: list[tuple[int, int]]) -> None:
        self._source = source
        self._spans = spans
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            column = self._source[name]
            if len(self._spans) == 1:
                lo, hi = self._spans[0]
                self._cache[name] = column[lo:hi]
            else:
                self._cache[name] = np.concatenate([column[lo:hi] for lo, hi in self._spans])
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


class PointIndex:
    """Immutable point set sorted by Morton key; build with :meth:`PointIndex.build`."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        """Wrap already key-sorted columns; use :meth:`build` unless you sorted them yourself."""
        # Freezing the arrays lets one index be shared by every request thread.
        self._cols = {name: _readonly(a) for name, a in columns.items()}
        self._keys = self._cols["key"]

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        lats: np.ndarray,
        lngs: np.ndarray,
        columns: dict[str, np.ndarray] | None = None,
    ) -> PointIndex:
        """Compute keys and sort every column by them. Raises ValueError on bad input."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        lats = np.asarray(lats, dtype=np.float64).ravel()
        lngs = np.asarray(lngs, dtype=np.float64).ravel()
        n = len(ids)
        if len(lats) != n or len(lngs) != n:
            raise ValueError("ids, lats and lngs must have the same length")
        extra = dict(columns or {})
        for name, column in extra.items():
            if name in RESERVED_COLUMNS:
                raise ValueError(f"column name {name!r} is reserved")
            column = np.asarray(column)
            if column.shape != (n,):
                raise ValueError(f"column {name!r} must be 1-D with {n} rows")
            extra[name] = column
        keys = morton_keys(lats, lngs)
        # Stable so equal keys keep input order, which makes results reproducible.
        order = np.argsort(keys, kind="stable")
        sorted_cols = {"key": keys[order], "id": ids[order], "lat": lats[order], "lng": lngs[order]}
        for name, column in extra.items():
            sorted_cols[name] = column[order]
        return cls(sorted_cols)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def columns(self) -> Mapping[str, np.ndarray]:
        """Key-sorted read-only columns, including ``key``, ``id``, ``lat`` and ``lng``."""
        return self._cols

    def _spans(
        self, west: float, south: float, east: float, north: float
    ) -> tuple[list[tuple[int, int]], tuple[float, float, float, float]]:
        box = normalize_bbox(west, south, east, north)
        ranges = bbox_key_ranges(*box, max_ranges=DEFAULT_MAX_RANGES)
        if not ranges or not len(self._keys):
            return [], box
        bounds = np.asarray(ranges, dtype=np.int64)
        los = np.searchsorted(self._keys, bounds[:, 0], side="left")
        his = np.searchsorted(self._keys, bounds[:, 1], side="right")
        spans: list[tuple[int, int]] = []
        for lo, hi in zip(los.tolist(), his.tolist(), strict=True):
            if lo >= hi:
                continue
            if spans and lo - spans[-1][1] <= _SPAN_GAP:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
        if len(spans) > 1:
            covered = sum(hi - lo for lo, hi in spans)
            # Mostly-covered hulls are read as one slice: zero-copy views and a few more
            # masked rows are cheaper than gathering every column piecewise.
            if covered * _HULL_FILL >= spans[-1][1] - spans[0][0]:
                spans = [(spans[0][0], spans[-1][1])]
        return spans, box

    def _mask(
        self,
        cols: Mapping[str, np.ndarray],
        box: tuple[float, float, float, float],
        mask_fn: MaskFn | None,
    ) -> np.ndarray:
        west, south, east, north = box
        lat, lng = cols["lat"], cols["lng"]
        mask = (lat >= south) & (lat <= north)
        if west <= east:
            mask &= (lng >= west) & (lng <= east)
        else:
            mask &= (lng >= west) | (lng <= east)
        if mask_fn is not None:
            extra = np.asarray(mask_fn(cols), dtype=bool)
            if extra.shape != mask.shape:
                raise ValueError("mask_fn must return one boolean per candidate row")
            mask &= extra
        return mask

    def count(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        mask_fn: MaskFn | None = None,
    ) -> int:
        """Number of points in the inclusive box that pass ``mask_fn``."""
        spans, box = self._spans(west, south, east, north)
        if not spans:
            return 0
        return int(np.count_nonzero(self._mask(_Columns(self._cols, spans), box, mask_fn)))

    def query(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        zoom: float,
        mask_fn: MaskFn | None = None,
        *,
        max_groups: int = DEFAULT_MAX_GROUPS,
    ) -> QueryResult:
        """Count and cluster the points in an inclusive box.

        ``west > east`` means the box crosses the antimeridian (see
        :func:`~mapertunity.geo.morton.normalize_bbox`). Clusters are Morton cells about 64 px
        wide at ``zoom`` (:func:`~mapertunity.geo.morton.shift_for_zoom`); if that would
        produce more than ``max_groups`` groups the cells are coarsened a level at a time, so
        a hostile zoom/box pair cannot make the server build millions of objects.
        """
        shift = shift_for_zoom(zoom)
        spans, box = self._spans(west, south, east, north)
        if not spans:
            return QueryResult(total=0, groups=[], shift=shift)
        cols = _Columns(self._cols, spans)
        mask = self._mask(cols, box, mask_fn)
        total = int(np.count_nonzero(mask))
        if total == 0:
            return QueryResult(total=0, groups=[], shift=shift)
        keys, lat, lng = cols["key"], cols["lat"], cols["lng"]
        rows = None
        if total != len(mask):
            # One index array then three takes beats three boolean compressions.
            rows = np.flatnonzero(mask)
            keys, lat, lng = keys[rows], lat[rows], lng[rows]

        starts = np.concatenate(([0], np.flatnonzero(np.diff(keys >> shift)) + 1))
        while len(starts) > max(max_groups, 1) and shift < 2 * BITS:
            # Coarsen on the group-start keys only: parents' boundaries are a subset of ours.
            shift += 2
            start_cells = keys[starts] >> shift
            keep = np.empty(len(starts), dtype=bool)
            keep[0] = True
            np.not_equal(start_cells[1:], start_cells[:-1], out=keep[1:])
            starts = starts[keep]
        counts = np.diff(np.concatenate((starts, [total])))
        lat_mean = np.add.reduceat(lat, starts) / counts
        lng_mean = np.add.reduceat(lng, starts) / counts
        west_b = np.minimum.reduceat(lng, starts)
        east_b = np.maximum.reduceat(lng, starts)
        south_b = np.minimum.reduceat(lat, starts)
        north_b = np.maximum.reduceat(lat, starts)
        # Summation rounding can push a mean of identical values one ulp past them.
        lat_mean = np.clip(lat_mean, south_b, north_b)
        lng_mean = np.clip(lng_mean, west_b, east_b)

        single_ids = cols["id"][starts if rows is None else rows[starts]].tolist()
        groups = [
            Group(
                count=c,
                lat=la,
                lng=lo,
                bbox=(w, s, e, n),
                id=i if c == 1 else None,
                cell=cell,
            )
            for c, la, lo, w, s, e, n, i, cell in zip(
                counts.tolist(),
                lat_mean.tolist(),
                lng_mean.tolist(),
                west_b.tolist(),
                south_b.tolist(),
                east_b.tolist(),
                north_b.tolist(),
                single_ids,
                (keys[starts] >> shift).tolist(),
                strict=True,
            )
        ]
        return QueryResult(total=total, groups=groups, shift=shift)

    def ids_in_box(
        self,
        west: float,
        south: float,
        east: float,
        north: float,
        limit: int,
        mask_fn: MaskFn | None = None,
        offset: int = 0,
    ) -> np.ndarray:
        """Ids of matched points in key order, skipping ``offset`` and capped at ``limit``.

        Key order is spatially coherent, not meaningful to users; re-order by whatever the
        list needs after fetching rows. Stops scanning once enough ids are found.
        """
        wanted = max(offset, 0) + max(limit, 0)
        spans, box = self._spans(west, south, east, north)
        found: list[np.ndarray] = []
        n_found = 0
        chunks = (
            (start, min(start + _ID_CHUNK, hi))
            for lo, hi in spans
            for start in range(lo, hi, _ID_CHUNK)
        )
        for chunk in chunks:
            if n_found >= wanted:
                break
            cols = _Columns(self._cols, [chunk])
            hits = cols["id"][self._mask(cols, box, mask_fn)]
            found.append(hits)
            n_found += len(hits)
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.concatenate(found)[max(offset, 0) : wanted].copy()
