"""Covering a map box with quadtree cells: the clusters a query returns and the rows it reads.

A query's answer is one group per occupied cell of a grid at the cluster level (about 64 px
per cell at the requested zoom). A cell wholly inside the box can be answered from row
positions alone (two binary searches in the key-sorted index); a cell cut by the box edge
is split down the quadtree until its pieces are either inside, outside, or small enough
that testing their rows one by one is cheaper than splitting further.

Positions are held as integers in units of 1e-7 degree ("E7", about 1 cm, the precision
OpenStreetMap uses). The database stores every position rounded to that precision, so an
E7 integer ``k`` stands for exactly the double ``k / 1e7`` the database holds, and the box
test on integers below gives the same answer as SQL comparing doubles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mapertunity.geo.morton import BITS, _project_arrays, _quantize, normalize_bbox

E7 = 10_000_000
"""Fixed-point scale of stored positions: 1e-7 degree."""

_QMAX = (1 << BITS) - 1
# Quanta of slack around a box edge. Outward it makes covering conservative; inward it
# makes "wholly inside" certain despite last-ulp noise in the vectorised projection.
_OUTER_SLACK = 1
_INNER_SLACK = 2

LEAF_ROWS = 384
"""A cell cut by the box edge with at most this many rows is tested row by row."""

MAX_STRADDLING = 4096
"""Refinement stops (and the remaining cut cells are read row by row) past this many."""

MAX_DEPTH = 3
"""Levels a cut cell is split below the cluster level at most before its rows are read:
deeper splits read fewer rows but cost more numpy calls than they save (measured at 10M)."""


def to_e7(degrees: np.ndarray) -> np.ndarray:
    """Positions in degrees rounded to the nearest 1e-7 degree, as int32."""
    return np.rint(np.asarray(degrees, dtype=np.float64) * E7).astype(np.int32)


def from_e7(e7: np.ndarray) -> np.ndarray:
    """The doubles the database holds for E7 positions (``k / 1e7``, correctly rounded)."""
    return np.asarray(e7, dtype=np.float64) / E7


def round_degrees(value: float) -> float:
    """A position rounded the way the database stores it (equal to ``to_e7`` then back)."""
    return round(float(value), 7)


def _ceil_e7(value: float) -> int:
    """Smallest ``k`` with ``k / 1e7 >= value``."""
    k = math.ceil(value * E7)
    while (k - 1) / E7 >= value:
        k -= 1
    while k / E7 < value:
        k += 1
    return k


def _floor_e7(value: float) -> int:
    """Largest ``k`` with ``k / 1e7 <= value``."""
    k = math.floor(value * E7)
    while (k + 1) / E7 <= value:
        k += 1
    while k / E7 > value:
        k -= 1
    return k


Box = tuple[float, float, float, float]


def box_rects(west: float, south: float, east: float, north: float) -> list[Box]:
    """A map box as disjoint, non-wrapping ``(w, s, e, n)`` rectangles (two across ±180)."""
    west, south, east, north = normalize_bbox(west, south, east, north)
    if south > north:
        return []
    if west > east:
        return [(west, south, 180.0, north), (-180.0, south, east, north)]
    return [(west, south, east, north)]


def intersect_rects(a: list[Box], b: list[Box]) -> list[Box]:
    """Pairwise intersections of two lists of disjoint rectangles (still disjoint)."""
    out: list[Box] = []
    for aw, as_, ae, an in a:
        for bw, bs, be, bn in b:
            w, s, e, n = max(aw, bw), max(as_, bs), min(ae, be), min(an, bn)
            if w <= e and s <= n:
                out.append((w, s, e, n))
    return out


@dataclass(frozen=True, slots=True)
class Rects:
    """Disjoint rectangles in the forms a query needs: quanta for cells, E7 for rows."""

    boxes: tuple[Box, ...]
    outer: np.ndarray
    """(R, 4) int64: x0, x1, y0, y1 quanta that every point inside lies within."""
    inner: np.ndarray
    """(R, 4) int64: quanta ranges whose points are certainly inside (may be empty)."""
    e7: np.ndarray
    """(R, 4) int64: lng_lo, lng_hi, lat_lo, lat_hi, inclusive E7 bounds of the rows inside."""

    @classmethod
    def of(cls, boxes: list[Box]) -> Rects:
        outer, inner, e7 = [], [], []
        for w, s, e, n in boxes:
            x, y = _project_arrays(np.array([w, e]), np.array([n, s]))
            qx, qy = _quantize(x).astype(np.int64), _quantize(y).astype(np.int64)
            x0, x1, y0, y1 = int(qx[0]), int(qx[1]), int(qy[0]), int(qy[1])
            outer.append(
                (
                    max(x0 - _OUTER_SLACK, 0),
                    min(x1 + _OUTER_SLACK, _QMAX),
                    max(y0 - _OUTER_SLACK, 0),
                    min(y1 + _OUTER_SLACK, _QMAX),
                )
            )
            inner.append(
                (x0 + _INNER_SLACK, x1 - _INNER_SLACK, y0 + _INNER_SLACK, y1 - _INNER_SLACK)
            )
            e7.append((_ceil_e7(w), _floor_e7(e), _ceil_e7(s), _floor_e7(n)))
        shape = (len(boxes), 4)
        return cls(
            boxes=tuple(boxes),
            outer=np.array(outer, dtype=np.int64).reshape(shape),
            inner=np.array(inner, dtype=np.int64).reshape(shape),
            e7=np.array(e7, dtype=np.int64).reshape(shape),
        )

    def __len__(self) -> int:
        return len(self.boxes)

    def contains_e7(self, lat7: np.ndarray, lng7: np.ndarray) -> np.ndarray:
        """Whether each row lies in any rectangle (inclusive), exactly as SQL would say."""
        inside = np.zeros(len(lat7), dtype=bool)
        for lng_lo, lng_hi, lat_lo, lat_hi in self.e7.tolist():
            inside |= (lat7 >= lat_lo) & (lat7 <= lat_hi) & (lng7 >= lng_lo) & (lng7 <= lng_hi)
        return inside

    def classify(self, cx: np.ndarray, cy: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``(inside, outside)`` masks for cells ``(cx, cy)`` spanning ``2**k`` quanta a side."""
        x_lo, y_lo = cx << k, cy << k
        x_hi, y_hi = x_lo + ((1 << k) - 1), y_lo + ((1 << k) - 1)
        inside = np.zeros(len(cx), dtype=bool)
        outside = np.ones(len(cx), dtype=bool)
        for (ox0, ox1, oy0, oy1), (ix0, ix1, iy0, iy1) in zip(
            self.outer.tolist(), self.inner.tolist(), strict=True
        ):
            inside |= (x_lo >= ix0) & (x_hi <= ix1) & (y_lo >= iy0) & (y_hi <= iy1)
            outside &= (x_hi < ox0) | (x_lo > ox1) | (y_hi < oy0) | (y_lo > oy1)
        return inside, outside

    def grid_size(self, level: int) -> int:
        """Cells of ``level`` touching the rectangles (counted per rectangle)."""
        k = BITS - level
        total = 0
        for x0, x1, y0, y1 in self.outer.tolist():
            total += ((x1 >> k) - (x0 >> k) + 1) * ((y1 >> k) - (y0 >> k) + 1)
        return total


_SPREAD = (
    (16, 0x0000FFFF0000FFFF),
    (8, 0x00FF00FF00FF00FF),
    (4, 0x0F0F0F0F0F0F0F0F),
    (2, 0x3333333333333333),
    (1, 0x5555555555555555),
)


def spread_bits(v: np.ndarray) -> np.ndarray:
    """Spread the low 31 bits of each value over the even bits of an int64."""
    v = np.asarray(v, dtype=np.int64)
    for shift, mask in _SPREAD:
        v = (v | (v << shift)) & mask
    return v


def compact_bits(v: np.ndarray) -> np.ndarray:
    """Inverse of :func:`spread_bits`: gather the even bits of each int64."""
    v = np.asarray(v, dtype=np.int64) & 0x5555555555555555
    v = (v | (v >> 1)) & 0x3333333333333333
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FF
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFF
    v = (v | (v >> 16)) & 0x00000000FFFFFFFF
    return v


def zoom_level(zoom: float) -> int:
    """Quadtree level of ~64 px cells at ``zoom`` (floored, clamped to 0–22)."""
    z = min(max(int(math.floor(zoom)), 0), 22) if math.isfinite(zoom) else 0
    return min(z + 2, BITS)


@dataclass(frozen=True, slots=True)
class Cover:
    """The occupied output cells of a query and the row ranges ("pieces") that fill them.

    Cells are in key order; pieces are in row order, each lying in one cell, so along the
    rows the cell index never decreases. A piece marked ``scan`` is cut by the box edge and
    its rows must be tested one by one; the others lie wholly inside the box.
    """

    level: int
    cell_lo: np.ndarray
    """Smallest key of each output cell (int64, ascending)."""
    a: np.ndarray
    """First row of each piece."""
    b: np.ndarray
    """One past the last row of each piece."""
    cell: np.ndarray
    """Index into ``cell_lo`` of each piece's cell."""
    scan: np.ndarray
    """Whether each piece's rows must be tested against the box."""

    @property
    def shift(self) -> int:
        return 2 * (BITS - self.level)


TIER_LEVELS = (5, 7, 9, 11)
"""Levels whose occupied cells an index lists (:class:`Tier`). They are few: of 10M jobs
around real cities, 87,535 cells of level 11 hold at least one."""


@dataclass(frozen=True, slots=True)
class Tier:
    """The occupied cells of one coarse level of an index and the row each starts at.

    A query whose cluster level is up to ``MAX_DEPTH`` levels above a tier starts from
    the tier's cells under its grid, instead of splitting cut cells level by level with
    binary searches in the keys: one round of array operations over a few thousand
    cells, and no row read for it.
    """

    level: int
    cell: np.ndarray
    """Occupied cells (``key >> 2 * (BITS - level)``), ascending."""
    row: np.ndarray
    """First row of each cell, then the number of rows: cell ``i`` holds rows
    ``row[i]:row[i + 1]``."""

    @classmethod
    def levels_of(cls, keys: np.ndarray) -> list[Tier]:
        """The tiers of key-sorted ``keys``, one per level of ``TIER_LEVELS``, coarsest first."""
        finest = TIER_LEVELS[-1]
        cells = keys >> (2 * (BITS - finest))
        starts = np.flatnonzero(np.diff(cells, prepend=-1)).astype(np.int64)
        tiers = []
        for level in reversed(TIER_LEVELS):
            cell = cells[starts] >> (2 * (finest - level))
            # A coarser cell starts where its first occupied finer cell does.
            first = np.diff(cell, prepend=-1) != 0
            starts, cell = starts[first], cell[first]
            row = np.append(starts, len(keys)).astype(np.int64)
            tiers.append(cls(level, cell.astype(np.int32), row))
        return tiers[::-1]

    def under(
        self, rects: Rects, level: int, pieces: _Pieces
    ) -> tuple[np.ndarray, _Cells, np.ndarray]:
        """Start a cover at ``level``, coarser than the tier's, from the tier's cells.

        Runs of consecutive tier cells inside the rectangles and in one output cell go to
        ``pieces``. Returns the output cells' smallest keys, the tier cells cut by an edge
        (``(cx, cy, lo, a, b)`` at the tier's level) and the output cell of each.
        """
        k, fine_k, depth = BITS - level, BITS - self.level, self.level - level
        _, _, grid = _grid(rects, level)
        fine = grid << (2 * depth)
        needles = np.concatenate((fine, fine + (1 << (2 * depth)))).astype(self.cell.dtype)
        bounds = np.searchsorted(self.cell, needles)
        first, stop = bounds[: len(grid)], bounds[len(grid) :]
        held = first < stop
        grid, first, counts = grid[held], first[held], (stop - first)[held]
        # Every tier cell under an occupied grid cell, with that grid cell's number.
        parent = np.repeat(np.arange(len(grid), dtype=np.int64), counts)
        at = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(counts) - counts - first, counts
        )
        cell = self.cell[at].astype(np.int64)
        cx, cy = compact_bits(cell), compact_bits(cell >> 1)
        inside, outside = rects.classify(cx, cy, fine_k)
        used = np.zeros(len(grid), dtype=bool)
        used[parent[~outside]] = True
        out = (np.cumsum(used) - 1)[parent]
        ins = np.flatnonzero(inside)
        run_at, run_out = at[ins], out[ins]
        starts = np.ones(len(ins), dtype=bool)
        starts[1:] = (run_out[1:] != run_out[:-1]) | (run_at[1:] != run_at[:-1] + 1)
        begin = np.flatnonzero(starts)
        end = np.append(begin[1:], len(ins))[: len(begin)] - 1
        pieces.add(self.row[run_at[begin]], self.row[run_at[end] + 1], run_out[begin], scan=False)
        cut = np.flatnonzero(~inside & ~outside)
        cut_at = at[cut]
        pending = (
            cx[cut],
            cy[cut],
            cell[cut] << (2 * fine_k),
            self.row[cut_at],
            self.row[cut_at + 1],
        )
        return grid[used] << (2 * k), pending, out[cut]


class _Pieces:
    """The pieces of a cover as they are found, level by level."""

    def __init__(self) -> None:
        self.a: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.cell: list[np.ndarray] = []
        self.scan: list[np.ndarray] = []

    def add(self, a: np.ndarray, b: np.ndarray, cell: np.ndarray, *, scan: bool) -> None:
        self.a.append(a)
        self.b.append(b)
        self.cell.append(cell)
        self.scan.append(np.full(len(a), scan))

    def cover(self, level: int, cell_lo: np.ndarray) -> Cover:
        a = np.concatenate(self.a)
        order = np.argsort(a, kind="stable")
        return Cover(
            level=level,
            cell_lo=cell_lo,
            a=a[order],
            b=np.concatenate(self.b)[order],
            cell=np.concatenate(self.cell)[order],
            scan=np.concatenate(self.scan)[order],
        )


DIRECT_GRID = 4096
"""Up to this many cells the output grid is listed outright; past it, found by descent."""

_Cells = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""``(cx, cy, lo, a, b)``: cell coordinates, smallest key, and row range."""


def _grid(rects: Rects, level: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cx, cy, cell)`` of every cell of ``level`` touching a rectangle, in key order."""
    k = BITS - level
    xs, ys, cells = [], [], []
    for x0, x1, y0, y1 in rects.outer.tolist():
        cx = np.arange(x0 >> k, (x1 >> k) + 1, dtype=np.int64)
        cy = np.arange(y0 >> k, (y1 >> k) + 1, dtype=np.int64)
        # Spread each axis once; a cell's key is the OR of its column's and row's bits.
        cell = spread_bits(cx)[None, :] | (spread_bits(cy) << 1)[:, None]
        cells.append(cell.ravel())
        xs.append(np.broadcast_to(cx[None, :], cell.shape).ravel())
        ys.append(np.broadcast_to(cy[:, None], cell.shape).ravel())
    cell = np.concatenate(cells)
    if len(cells) > 1:
        cell, order = np.unique(cell, return_index=True)
    else:
        order = np.argsort(cell)
        cell = cell[order]
    return np.concatenate(xs)[order], np.concatenate(ys)[order], cell


def _occupied(keys: np.ndarray, rects: Rects, level: int) -> _Cells:
    """Cells of the grid at ``level`` that hold rows and touch a rectangle, in key order."""
    k = BITS - level
    cx, cy, lo = _grid(rects, level)
    lo = lo << (2 * k)
    bounds = np.searchsorted(keys, np.concatenate((lo, lo + (1 << (2 * k)))))
    a, b = bounds[: len(lo)], bounds[len(lo) :]
    keep = a < b
    return cx[keep], cy[keep], lo[keep], a[keep], b[keep]


def _split(keys: np.ndarray, cells: Sequence[np.ndarray], k: int) -> _Cells:
    """The four children of each cell (which spans ``2**k`` quanta), in key order."""
    cx, cy, lo, a, b = cells
    if not len(lo):
        # Nothing occupied (a box of open ocean): four children of nothing.
        return cx, cy, lo, a, b
    k -= 1
    quarter = 1 << (2 * k)
    # Children in Z order: quadrant q = 2 * y_bit + x_bit; their ranges are consecutive.
    q = np.arange(4, dtype=np.int64)
    ccx = ((cx << 1)[:, None] + (q & 1)).ravel()
    ccy = ((cy << 1)[:, None] + (q >> 1)).ravel()
    clo = (lo[:, None] + q * quarter).ravel()
    # Searching only the rows under these cells keeps the binary searches in cache.
    first, last = int(a.min()), int(b.max())
    needles = (lo[:, None] + q[1:] * quarter).ravel()
    splits = (np.searchsorted(keys[first:last], needles) + first).reshape(-1, 3)
    ca = np.concatenate((a[:, None], splits), axis=1).ravel()
    cb = np.concatenate((splits, b[:, None]), axis=1).ravel()
    return ccx, ccy, clo, ca, cb


def cover(
    keys: np.ndarray,
    rects: Rects,
    level: int,
    *,
    max_groups: int | None = None,
    leaf_rows: int | None = None,
    tiers: Sequence[Tier] = (),
) -> Cover:
    """Cells of ``level`` holding rows of ``keys`` near the rectangles, and their pieces.

    With ``max_groups``, a coarser level is used if ``level`` has more occupied cells.
    ``tiers`` are the occupied cells of coarse levels of the same keys (:class:`Tier`).
    """
    leaf_rows = LEAF_ROWS if leaf_rows is None else leaf_rows
    empty = np.empty(0, dtype=np.int64)
    if not len(rects) or not len(keys):
        return Cover(level, empty, empty, empty, empty, np.empty(0, dtype=bool))
    size = rects.grid_size(level)
    direct = size <= DIRECT_GRID and (max_groups is None or size <= max_groups)
    # The finest tier that splitting cut cells would reach, if the grid is listed outright.
    tier = next((t for t in reversed(tiers) if level < t.level <= level + MAX_DEPTH), None)
    pieces = _Pieces()
    if direct and tier is not None:
        lo, pend, pend_cell = tier.under(rects, level, pieces)
        k, depth = BITS - tier.level, tier.level - level
    else:
        if direct:
            cells = _occupied(keys, rects, level)
        else:
            # Descend from a coarse grid, splitting only occupied cells: ocean costs nothing.
            current = level
            while current > 0 and rects.grid_size(current) > 64:
                current -= 1
            cells = _occupied(keys, rects, current)
            while current < level and len(cells[0]):
                children = _split(keys, cells, BITS - current)
                cx, cy, lo, a, b = children
                _, outside = rects.classify(cx, cy, BITS - current - 1)
                keep = (a < b) & ~outside
                if max_groups is not None and int(keep.sum()) > max(max_groups, 1):
                    break
                cells = tuple(v[keep] for v in children)
                current += 1
            level = current
        k, depth = BITS - level, 0
        cx, cy, lo, a, b = cells
        inside, _ = rects.classify(cx, cy, k)
        index = np.arange(len(lo), dtype=np.int64)
        pieces.add(a[inside], b[inside], index[inside], scan=False)
        cut = ~inside
        pend = (cx[cut], cy[cut], lo[cut], a[cut], b[cut])
        pend_cell = index[cut]

    while len(pend_cell):
        pa, pb = pend[3], pend[4]
        small = (pb - pa <= leaf_rows) | (k == 0) | (len(pend_cell) > MAX_STRADDLING)
        if depth >= MAX_DEPTH:
            small[:] = True
        depth += 1
        if small.any():
            pieces.add(pa[small], pb[small], pend_cell[small], scan=True)
        big = ~small
        if not big.any():
            break
        children = _split(keys, tuple(v[big] for v in pend), k)
        child_cell = np.repeat(pend_cell[big], 4)
        k -= 1
        ccx, ccy, _, ca, cb = children
        inside, outside = rects.classify(ccx, ccy, k)
        keep = (ca < cb) & ~outside
        ins = keep & inside
        pieces.add(ca[ins], cb[ins], child_cell[ins], scan=False)
        rest = keep & ~inside
        pend = tuple(v[rest] for v in children)
        pend_cell = child_cell[rest]
    return pieces.cover(level, lo)


def cell_bounds(
    kmin: np.ndarray, kmax: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(west, south, east, north)`` of the smallest quadtree cell holding both keys."""
    diff = (kmin ^ kmax).astype(np.float64)
    # frexp's exponent is the bit length (rounding may add one: a cell one level up, which
    # still holds both keys).
    _, bits = np.frexp(diff)
    shift = np.where(diff > 0, ((bits + 1) // 2) * 2, 0).astype(np.int64)
    prefix = (kmin >> shift) << shift
    qx, qy = compact_bits(prefix), compact_bits(prefix >> 1)
    size = np.left_shift(np.int64(1), shift // 2)
    scale = float(1 << BITS)
    west = qx / scale * 360.0 - 180.0
    east = (qx + size) / scale * 360.0 - 180.0
    north = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * qy / scale))))
    south = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * (qy + size) / scale))))
    # Latitudes past ±MAX_LAT are clamped into the outermost rows of cells.
    north = np.where(qy == 0, 90.0, north)
    south = np.where(qy + size >= (1 << BITS), -90.0, south)
    return west, south, east, north
