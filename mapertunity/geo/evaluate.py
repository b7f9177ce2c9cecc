"""Answering one query over one index: which rows match, summed per output cell.

Rows are never read when positions suffice. A run of matching rows is a range of some
sorted array of row numbers ``q`` (all rows, one filter combination's posting list, the
rows of an id list); its count is the length of the range, its first and last members
bound the cluster's box, and its centroid is the mean of up to ``SAMPLES`` members spread
evenly along the range (exact when the run is that short; rows are in Z order, so the
sample is spread over the cell). Without a filter, block prefix sums give exact centroids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from mapertunity.geo.cover import Cover, Rects, cell_bounds, from_e7
from mapertunity.geo.distance import Near, h_limit
from mapertunity.geo.results import Aggregate
from mapertunity.geo.where import Where

if TYPE_CHECKING:
    from mapertunity.geo.index import MaskFn, PointIndex

SAMPLES = 8
"""Members averaged for the centroid of a filtered run of rows."""

POSTING_MIN_ROWS = 64
"""Posting lists are used when a view holds this many rows per binary search they'd cost."""

SELECT_MIN_ROWS = 4096
"""Indexes this big keep the rows passing a minimum as a selection (smaller test rows)."""

SLICE_ROWS = 65_536
"""Pieces this long are tested as slices of the columns rather than gathered."""

_BIG = np.iinfo(np.int64).max


def expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ``arange(start, start + count)`` and the index of the range of each."""
    counts = counts.astype(np.int64)
    total = int(counts.sum())
    which = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    if not total:
        return np.empty(0, dtype=np.int64), which
    offsets = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(offsets - starts, counts), which


class Plan:
    """How one filter applies to one index: allowed codes, thresholds, the row selection."""

    def __init__(self, index: PointIndex, where: Where, mask_fn: MaskFn | None) -> None:
        self.index = index
        self.where = where
        self.mask_fn = mask_fn
        self.nothing = False
        self.code_table: np.ndarray | None = None
        self.band_min: int | None = None
        self.minimums: list[tuple[np.ndarray, int]] = []
        for name, minimum in where.minimums.items():
            if name == index.band:
                self.band_min = int(minimum)
                continue
            self.minimums.append((index.value_column(name), int(minimum)))
        unknown = set(where.categories) - {name for name, _ in index.categories}
        if unknown:
            raise KeyError(f"no category column {sorted(unknown)[0]!r}")
        if where.categories or self.band_min is not None:
            self.code_table = self._codes()
            if not self.code_table.any():
                self.nothing = True
        self.selection: np.ndarray | None = None
        if where.ids is not None and not self.nothing:
            self.selection = index.cached(("rows", where.cache_key()), self._select)
            if not len(self.selection):
                self.nothing = True
        elif self.minimums and not self.nothing and len(index) > SELECT_MIN_ROWS:
            # A minimum with no posting list (the posting day): the rows passing every
            # attribute test, found once per index and filter and kept, so that a query
            # makes binary searches in them instead of reading every row in view.
            self.selection = index.cached(("passing", where.cache_key()), self._select_all)
            if not len(self.selection):
                self.nothing = True
        # With a selection, every per-row attribute test is folded into it.
        self.row_tests = where.near is not None or mask_fn is not None
        if self.selection is None:
            self.row_tests = self.row_tests or bool(self.minimums)
        self.unfiltered = self.code_table is None and not self.row_tests

    def _codes(self) -> np.ndarray:
        """Which partition codes may hold matching rows."""
        index, where = self.index, self.where
        allowed = np.ones(1, dtype=bool)
        for name, size in index.categories:
            ok = np.zeros(size, dtype=bool)
            if name in where.categories:
                ok[[c for c in where.categories[name] if 0 <= c < size]] = True
            else:
                ok[:] = True
            allowed = (allowed[:, None] & ok[None, :]).ravel()
        band_ok = np.ones(index.bands, dtype=bool)
        if self.band_min is not None:
            # A band may hold a match if its top reaches the minimum.
            upper = np.concatenate((index.band_edges[1:], [_BIG]))
            band_ok = upper > self.band_min
        return (allowed[:, None] & band_ok[None, :]).ravel()

    def _select(self) -> np.ndarray:
        """The id list's rows that pass every per-row attribute test, sorted (int32)."""
        assert self.where.ids is not None  # only id-list filters make a selection
        rows = self.index.positions_of(self.where.ids.ids)
        if len(rows):
            rows = rows[self.test_attributes(rows)]
        return rows.astype(np.int32)

    def _select_all(self) -> np.ndarray:
        return np.flatnonzero(self.test_attributes(slice(0, len(self.index)))).astype(np.int32)

    def without_near(self) -> Plan:
        """The same filter for rows known to lie within ``near``'s radius."""
        return Plan(self.index, replace(self.where, near=None), self.mask_fn)

    def partitions(self) -> list[np.ndarray]:
        """Sorted rows of each selected filter combination (band-tested where needed)."""
        index = self.index
        out: list[np.ndarray] = []
        if self.code_table is None:
            return out
        band_min, column = self.band_min, index.band_column
        for code in np.flatnonzero(self.code_table).tolist():
            rows = index.partition(code)
            if not len(rows):
                continue
            if (
                band_min is not None
                and column is not None
                and index.band_edges[code % index.bands] < band_min
            ):
                rows = index.cached(("band", code, band_min), _band_rows(rows, column, band_min))
            if len(rows):
                out.append(rows)
        return out

    def test_attributes(self, rows: np.ndarray | slice) -> np.ndarray:
        """Category, band and minimum tests (no geometry) for the rows."""
        index = self.index
        n = rows.stop - rows.start if isinstance(rows, slice) else len(rows)
        keep = np.ones(n, dtype=bool)
        if self.code_table is not None:
            assert index.code is not None
            keep &= self.code_table[index.code[rows]]
            if self.band_min is not None:
                assert index.band_column is not None
                keep &= index.band_column[rows] >= self.band_min
        for column, minimum in self.minimums:
            keep &= column[rows] >= minimum
        return keep

    def test(
        self,
        rows: np.ndarray | slice,
        rects: Rects,
        box: bool | np.ndarray,
        positions: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Which of the rows match (and lie in the box where ``box`` says so).

        ``positions`` are the rows' ``(lat7, lng7)`` if the caller has read them already.
        """
        index = self.index
        lat7, lng7 = positions if positions is not None else (None, None)
        keep = (
            np.ones(len(rows), dtype=bool)
            if self.selection is not None and not isinstance(rows, slice)
            else self.test_attributes(rows)
        )
        if box is True or (box is not False and box.any()):
            if lat7 is None:
                lat7, lng7 = index.lat7[rows], index.lng7[rows]
            assert lat7 is not None and lng7 is not None
            inside = rects.contains_e7(lat7, lng7)
            keep &= inside if box is True else (inside | ~box)
        if self.where.near is not None:
            if lat7 is None:
                lat7, lng7 = index.lat7[rows], index.lng7[rows]
            assert lat7 is not None and lng7 is not None
            keep &= self.where.near.contains(from_e7(lat7), from_e7(lng7))
        if self.mask_fn is not None:
            extra = np.asarray(self.mask_fn(index.columns_of(rows)), dtype=bool)
            if extra.shape != keep.shape:
                raise ValueError("mask_fn must return one boolean per candidate row")
            keep &= extra
        return keep


class CellSums:
    """Running per-cell count, coordinate sums and first/last row of one cover."""

    def __init__(self, index: PointIndex, cov: Cover) -> None:
        self.index = index
        self.cov = cov
        n = len(cov.cell_lo)
        self.count = np.zeros(n, dtype=np.int64)
        self.slat = np.zeros(n, dtype=np.float64)
        self.slng = np.zeros(n, dtype=np.float64)
        self.first = np.full(n, _BIG, dtype=np.int64)
        self.last = np.full(n, -1, dtype=np.int64)

    def add(
        self,
        cells: np.ndarray,
        counts: np.ndarray,
        slat: np.ndarray,
        slng: np.ndarray,
        first: np.ndarray,
        last: np.ndarray,
    ) -> None:
        n = len(self.count)
        self.count += np.bincount(cells, weights=counts, minlength=n).astype(np.int64)
        self.slat += np.bincount(cells, weights=slat, minlength=n)
        self.slng += np.bincount(cells, weights=slng, minlength=n)
        np.minimum.at(self.first, cells, first)
        np.maximum.at(self.last, cells, last)

    def add_runs(self, q: np.ndarray, qa: np.ndarray, qb: np.ndarray, cells: np.ndarray) -> None:
        """Add the rows ``q[qa:qb]`` of each piece (``q`` sorted) to the piece's cell."""
        counts = (qb - qa).astype(np.int64)
        some = counts > 0
        if not some.any():
            return
        qa, counts, cells = qa[some].astype(np.int64), counts[some], cells[some]
        index = self.index
        taken = np.minimum(counts, SAMPLES)
        j = np.arange(SAMPLES, dtype=np.int64)
        pick = qa[:, None] + (j[None, :] * counts[:, None]) // taken[:, None]
        valid = j[None, :] < taken[:, None]
        rows = q[np.minimum(pick, len(q) - 1)]
        lat = np.where(valid, index.lat7[rows], 0).sum(axis=1) / taken
        lng = np.where(valid, index.lng7[rows], 0).sum(axis=1) / taken
        self.add(
            cells,
            counts,
            lat * counts,
            lng * counts,
            q[qa].astype(np.int64),
            q[qa + counts - 1].astype(np.int64),
        )

    def add_rows(
        self,
        rows: np.ndarray,
        which: np.ndarray,
        cells: np.ndarray,
        lat7: np.ndarray,
        lng7: np.ndarray,
    ) -> None:
        """Add matched rows (ascending; ``which`` names the piece of each) whose positions
        were read: their sums are exact, not sampled."""
        if not len(rows):
            return
        n = len(cells)
        counts = np.bincount(which, minlength=n)
        some = counts > 0
        end = np.cumsum(counts)
        self.add(
            cells[some],
            counts[some],
            np.bincount(which, weights=lat7, minlength=n)[some],
            np.bincount(which, weights=lng7, minlength=n)[some],
            rows[(end - counts)[some]].astype(np.int64),
            rows[end[some] - 1].astype(np.int64),
        )

    def add_matched(self, rows: np.ndarray, which: np.ndarray, cells: np.ndarray) -> None:
        """Add matched rows (ascending), ``which`` naming the piece of each."""
        if not len(rows):
            return
        counts = np.bincount(which, minlength=len(cells))
        qa = np.cumsum(counts) - counts
        self.add_runs(rows, qa, qa + counts, cells)

    def finish(self) -> Aggregate:
        index, cov = self.index, self.cov
        some = self.count > 0
        first, last = self.first[some], self.last[some]
        return Aggregate(
            level=cov.level,
            cell=cov.cell_lo[some] >> cov.shift,
            count=self.count[some],
            slat=self.slat[some],
            slng=self.slng[some],
            kmin=index.key[first],
            kmax=index.key[last],
            one=index.id[first].astype(np.int64),
        )


def _searchsorted(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    # Needles of the array's own dtype: a mixed call would copy the whole array first.
    return np.searchsorted(q, v.astype(q.dtype, copy=False))


def _within(index: PointIndex, cov: Cover, near: Near) -> np.ndarray:
    """Which pieces lie wholly within the radius: their cell's farthest corner does (on a
    sphere the farthest point of a latitude-longitude box from a point is a corner)."""
    last = len(index) - 1
    kmin = index.key[np.minimum(cov.a, last)]
    kmax = index.key[np.minimum(np.maximum(cov.b - 1, cov.a), last)]
    west, south, east, north = cell_bounds(kmin, kmax)
    pad = 1e-6  # degrees: more than any rounding between a key and its stored position
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    limit = h_limit(near.km) * (1 - 1e-9)
    inside = np.ones(len(cov.a), dtype=bool)
    for lat in (south, north):
        for lng in (west, east):
            inside &= near.h(lat, lng) <= limit
    return inside


def _pieces(cov: Cover, which: np.ndarray) -> Cover:
    return Cover(
        cov.level, cov.cell_lo, cov.a[which], cov.b[which], cov.cell[which], cov.scan[which]
    )


def evaluate_cover(index: PointIndex, cov: Cover, rects: Rects, plan: Plan) -> Aggregate:
    """Sum the rows matching ``plan`` in every cell of the cover."""
    acc = CellSums(index, cov)
    near = plan.where.near
    if near is not None and plan.mask_fn is None and len(cov.a):
        within = _within(index, cov, near)
        if within.any():
            # Rows of pieces inside the circle need no distance test.
            _evaluate(index, _pieces(cov, within), rects, plan.without_near(), acc)
            _evaluate(index, _pieces(cov, ~within), rects, plan, acc)
            acc.cov = cov
            return acc.finish()
    _evaluate(index, cov, rects, plan, acc)
    return acc.finish()


def _evaluate(index: PointIndex, cov: Cover, rects: Rects, plan: Plan, acc: CellSums) -> None:
    """Add the rows of the cover's pieces that match ``plan`` to ``acc`` (same cells)."""
    acc.cov = cov
    inside = ~cov.scan
    if plan.selection is not None:
        q = plan.selection
        qa, qb = _searchsorted(q, cov.a), _searchsorted(q, cov.b)
        if plan.row_tests:
            _test_runs(q, qa, qb, np.ones(len(qa), dtype=bool), rects, plan, acc, box=cov.scan)
        else:
            acc.add_runs(q, qa[inside], qb[inside], cov.cell[inside])
            _test_runs(q, qa, qb, cov.scan, rects, plan, acc, box=True)
        return
    if plan.row_tests:
        _scan(inside, rects, plan, acc, box=False)
    elif plan.unfiltered:
        _sum_prefix(index, cov.a[inside], cov.b[inside], cov.cell[inside], acc)
    else:
        _sum_postings(inside, rects, plan, acc)
    _scan(cov.scan, rects, plan, acc, box=True)


def _test_runs(
    q: np.ndarray,
    qa: np.ndarray,
    qb: np.ndarray,
    pieces: np.ndarray,
    rects: Rects,
    plan: Plan,
    acc: CellSums,
    *,
    box: bool | np.ndarray,
) -> None:
    """Test each row of ``q[qa:qb]`` for the chosen pieces and add the matches."""
    if not pieces.any():
        return
    idx, which = expand(qa[pieces], qb[pieces] - qa[pieces])
    rows = q[idx].astype(np.int64)
    flags = box if isinstance(box, bool) else box[pieces][which]
    keep = plan.test(rows, rects, box=flags)
    acc.add_matched(rows[keep], which[keep], acc.cov.cell[pieces])


def _sum_prefix(
    index: PointIndex, a: np.ndarray, b: np.ndarray, cells: np.ndarray, acc: CellSums
) -> None:
    if not len(a):
        return
    # Neighbouring pieces share bounds; each distinct row costs a cache miss, so once each.
    bounds, back = np.unique(np.concatenate((a, b)), return_inverse=True)
    lat, lng = index.prefix_sums(bounds)
    lat, lng = lat[back], lng[back]
    n = len(a)
    acc.add(
        cells,
        b - a,
        (lat[n:] - lat[:n]).astype(np.float64),
        (lng[n:] - lng[:n]).astype(np.float64),
        a,
        b - 1,
    )


def _sum_postings(pieces: np.ndarray, rects: Rects, plan: Plan, acc: CellSums) -> None:
    cov = acc.cov
    a, b, cells = cov.a[pieces], cov.b[pieces], cov.cell[pieces]
    if not len(a):
        return
    parts = plan.partitions()
    # Reading a few rows beats several binary searches per combination.
    if int((b - a).sum()) < POSTING_MIN_ROWS * max(len(parts), 1) * len(a):
        _scan(pieces, rects, plan, acc, box=False)
        return
    for rows in parts:
        acc.add_runs(rows, _searchsorted(rows, a), _searchsorted(rows, b), cells)


def _scan(pieces: np.ndarray, rects: Rects, plan: Plan, acc: CellSums, *, box: bool) -> None:
    """Test every row of the chosen pieces; long pieces are read as slices."""
    cov = acc.cov
    a, b, cells = cov.a[pieces], cov.b[pieces], cov.cell[pieces]
    if not len(a):
        return
    long = (b - a) >= SLICE_ROWS
    index = plan.index
    for start, stop, cell in zip(
        a[long].tolist(), b[long].tolist(), cells[long].tolist(), strict=True
    ):
        lat7, lng7 = index.lat7[start:stop], index.lng7[start:stop]
        keep = plan.test(slice(start, stop), rects, box=box, positions=(lat7, lng7))
        rows = np.flatnonzero(keep) + start
        one = np.zeros(len(rows), dtype=np.int64)
        acc.add_rows(rows, one, np.array([cell]), lat7[keep], lng7[keep])
    short = ~long
    if short.any():
        rows, which = expand(a[short], b[short] - a[short])
        # The positions are read for the box test anyway: the sums of what matched are
        # then exact, so an unfiltered centroid does not depend on how cells were cut.
        lat7, lng7 = index.lat7[rows], index.lng7[rows]
        keep = plan.test(rows, rects, box=box, positions=(lat7, lng7))
        acc.add_rows(rows[keep], which[keep], cells[short], lat7[keep], lng7[keep])


def evaluate_rows(
    index: PointIndex,
    rows: np.ndarray,
    rects: Rects,
    level: int,
    plan: Plan,
    max_groups: int | None,
) -> Aggregate:
    """Test the given sorted rows one by one and sum them exactly per cell."""
    if plan.selection is not None:
        rows = rows[np.isin(rows, plan.selection, assume_unique=True)]
    rows = rows[plan.test(rows, rects, box=True)]
    if not len(rows):
        return Aggregate.empty(level)
    keys = index.key[rows]
    cells = keys >> (2 * (31 - level))
    starts = np.flatnonzero(np.diff(cells, prepend=cells[0] - 1))
    while max_groups is not None and len(starts) > max(max_groups, 1) and level > 0:
        # Coarsen on the group-start keys only: parents' boundaries are a subset of ours.
        level -= 1
        start_cells = keys[starts] >> (2 * (31 - level))
        keep = np.ones(len(starts), dtype=bool)
        np.not_equal(start_cells[1:], start_cells[:-1], out=keep[1:])
        starts = starts[keep]
        cells = keys >> (2 * (31 - level))
    ends = np.concatenate((starts[1:], [len(rows)])) - 1
    return Aggregate(
        level=level,
        cell=cells[starts],
        count=np.diff(np.concatenate((starts, [len(rows)]))),
        slat=np.add.reduceat(index.lat7[rows].astype(np.float64), starts),
        slng=np.add.reduceat(index.lng7[rows].astype(np.float64), starts),
        kmin=keys[starts],
        kmax=keys[ends],
        one=index.id[rows[starts]].astype(np.int64),
    )


def matched_rows(
    index: PointIndex, cov: Cover, rects: Rects, plan: Plan, wanted: int
) -> np.ndarray:
    """Matching rows in key order, stopping once ``wanted`` are found."""
    if plan.selection is not None:
        q = plan.selection
        idx, _ = expand(_searchsorted(q, cov.a), _searchsorted(q, cov.b) - _searchsorted(q, cov.a))
        rows = q[idx].astype(np.int64)
        return rows[plan.test(rows, rects, box=True)][:wanted]
    found: list[np.ndarray] = []
    n_found = 0
    for a, b in zip(cov.a.tolist(), cov.b.tolist(), strict=True):
        for start in range(a, b, SLICE_ROWS):
            hits = np.flatnonzero(plan.test(slice(start, min(start + SLICE_ROWS, b)), rects, True))
            found.append(hits + start)
            n_found += len(hits)
            if n_found >= wanted:
                return np.concatenate(found)[:wanted]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _band_rows(rows: np.ndarray, column: np.ndarray, minimum: int) -> Callable[[], np.ndarray]:
    """The rows whose band column reaches ``minimum``, computed when first asked for."""
    return lambda: rows[column[rows] >= minimum]
