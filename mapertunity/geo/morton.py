"""Web-Mercator projection and 62-bit Morton (Z-order) keys.

A point's key interleaves its quantised Mercator coordinates: bit ``2i`` holds bit ``i`` of
``qx`` (west to east) and bit ``2i + 1`` holds bit ``i`` of ``qy`` (north to south), with
``qx, qy`` in ``[0, 2**31)``. So ``key >> (2 * k)`` is the index of the quadtree cell at level
``31 - k`` containing the point, which is what makes grid clustering a single pass over sorted
keys. Keys are < 2**62 and fit a signed 64-bit ``BigIntegerField``.
"""

from __future__ import annotations

import math

import numpy as np

MAX_LAT = 85.05112878
"""Latitudes are clamped to ±MAX_LAT (the square Web-Mercator world) before projecting."""

BITS = 31
"""Bits per axis; two axes interleave into a 62-bit key."""

KEY_MAX = (1 << (2 * BITS)) - 1
"""Largest possible key (inclusive)."""

MAX_ZOOM = 22
DEFAULT_MAX_RANGES = 32

_SCALE = float(1 << BITS)
_QMAX = (1 << BITS) - 1
_BELOW_ONE = math.nextafter(1.0, 0.0)

# Masks for spreading a 32-bit integer over the even bits of a 64-bit word.
_SPREAD = (
    (16, 0x0000FFFF0000FFFF),
    (8, 0x00FF00FF00FF00FF),
    (4, 0x0F0F0F0F0F0F0F0F),
    (2, 0x3333333333333333),
    (1, 0x5555555555555555),
)


def _project_arrays(lngs: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lng = np.clip(np.asarray(lngs, dtype=np.float64), -180.0, 180.0)
    lat = np.clip(np.asarray(lats, dtype=np.float64), -MAX_LAT, MAX_LAT)
    x = (lng + 180.0) / 360.0
    s = np.sin(np.radians(lat))
    # atanh(sin φ) written with log so both bounds are finite after clamping.
    y = 0.5 - np.log((1.0 + s) / (1.0 - s)) / (4.0 * np.pi)
    return x, y


def _quantize(v: np.ndarray) -> np.ndarray:
    q = np.floor(v * _SCALE)
    # Clamping (not wrapping) keeps quantisation monotone, which bbox covering relies on:
    # lng=180 lands in the last column instead of jumping back to lng=-180.
    np.clip(q, 0.0, float(_QMAX), out=q)
    return q.astype(np.uint64)


def _spread_array(v: np.ndarray) -> np.ndarray:
    v = v.astype(np.uint64, copy=True)
    for shift, mask in _SPREAD:
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def _spread_int(v: int) -> int:
    for shift, mask in _SPREAD:
        v = (v | (v << shift)) & mask
    return v


def _compact(v: int) -> int:
    # Inverse of _spread_int, spelled out because the shift sequence differs from spreading.
    v &= 0x5555555555555555
    v = (v | (v >> 1)) & 0x3333333333333333
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FF
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFF
    v = (v | (v >> 16)) & 0x00000000FFFFFFFF
    return v


def _check_finite(*values: float) -> None:
    for v in values:
        if not math.isfinite(v):
            raise ValueError(f"coordinate must be finite, got {v!r}")


def project(lng: float, lat: float) -> tuple[float, float]:
    """Project to normalised Web-Mercator ``(x, y)`` in ``[0, 1)``.

    ``x`` grows west to east and ``y`` north to south, like slippy-map tiles. Latitude is
    clamped to ±MAX_LAT and longitude to ±180.
    """
    _check_finite(lng, lat)
    x, y = _project_arrays(np.array([lng]), np.array([lat]))
    return min(max(float(x[0]), 0.0), _BELOW_ONE), min(max(float(y[0]), 0.0), _BELOW_ONE)


def unproject(x: float, y: float) -> tuple[float, float]:
    """Inverse of :func:`project`: ``(lng, lat)`` for normalised Mercator ``(x, y)``."""
    lng = x * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y))))
    return lng, lat


def morton_keys(lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    """Vectorised :func:`morton_key`; returns an int64 array. Raises on NaN/inf input."""
    lats = np.asarray(lats, dtype=np.float64)
    lngs = np.asarray(lngs, dtype=np.float64)
    if lats.shape != lngs.shape:
        raise ValueError("lats and lngs must have the same shape")
    if not (np.isfinite(lats).all() and np.isfinite(lngs).all()):
        raise ValueError("coordinates must be finite")
    x, y = _project_arrays(lngs, lats)
    key = _spread_array(_quantize(x)) | (_spread_array(_quantize(y)) << np.uint64(1))
    return key.astype(np.int64)


def morton_key(lat: float, lng: float) -> int:
    """62-bit Morton key of a point: x (west→east) in even bits, y (north→south) in odd bits."""
    _check_finite(lat, lng)
    # Routed through the vector path so scalar and array keys agree bit for bit.
    return int(morton_keys(np.array([lat]), np.array([lng]))[0])


def key_cell(key: int) -> tuple[int, int]:
    """Quantised ``(qx, qy)`` of a key, each in ``[0, 2**31)``."""
    return _compact(key), _compact(key >> 1)


def key_to_latlng(key: int) -> tuple[float, float]:
    """``(lat, lng)`` of the centre of the smallest cell of ``key`` (about 1 cm wide)."""
    qx, qy = key_cell(key)
    lng, lat = unproject((qx + 0.5) / _SCALE, (qy + 0.5) / _SCALE)
    return lat, lng


def shift_for_zoom(zoom: float) -> int:
    """Right-shift of keys so one cluster cell is about 64 px wide at ``zoom``.

    A 256 px tile at zoom ``z`` spans ``2**-z`` of the world, so a 64 px cell spans
    ``2**-(z + 2)``: quadtree level ``L = z + 2`` and shift ``2 * (31 - L)``. Zoom is floored
    and clamped to ``[0, 22]``.
    """
    z = min(max(int(math.floor(zoom)), 0), MAX_ZOOM) if math.isfinite(zoom) else 0
    return 2 * (BITS - (z + 2))


def normalize_lng(lng: float) -> float:
    """Wrap a longitude outside ``[-180, 180]`` into it; values inside are returned unchanged.

    Only out-of-range values are wrapped so that 180 stays 180 (wrapping it to -180 would
    change which points an inclusive box contains).
    """
    _check_finite(lng)
    if -180.0 <= lng <= 180.0:
        return lng
    return (lng + 180.0) % 360.0 - 180.0


def normalize_bbox(
    west: float, south: float, east: float, north: float
) -> tuple[float, float, float, float]:
    """Canonical ``(w, s, e, n)`` for a map viewport.

    A box at least 360° wide becomes the whole world ``(-180, s, 180, n)``; other longitudes
    are wrapped with :func:`normalize_lng`, after which ``w > e`` means the box crosses the
    antimeridian. The SQL side must normalise the same way to agree with the index.
    """
    _check_finite(west, south, east, north)
    if east - west >= 360.0:
        return -180.0, south, 180.0, north
    return normalize_lng(west), south, normalize_lng(east), north


def _rect_quanta(west: float, south: float, east: float, north: float) -> tuple[int, int, int, int]:
    x, y = _project_arrays(np.array([west, east]), np.array([north, south]))
    qx, qy = _quantize(x), _quantize(y)
    # One quantum of slack per side absorbs last-ulp non-monotonicity of vectorised sin/log,
    # so a point exactly on an edge can never fall just outside the covering ranges.
    return (
        max(int(qx[0]) - 1, 0),
        min(int(qx[1]) + 1, _QMAX),
        max(int(qy[0]) - 1, 0),
        min(int(qy[1]) + 1, _QMAX),
    )


def cell_key_range(level: int, cx: int, cy: int) -> tuple[int, int]:
    """Inclusive key range of quadtree cell ``(cx, cy)`` at ``level`` (0 = whole world)."""
    shift = 2 * (BITS - level)
    lo = (_spread_int(cx) | (_spread_int(cy) << 1)) << shift
    return lo, lo + (1 << shift) - 1


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort inclusive ranges and merge overlapping or adjacent ones."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


# A cover item is (lo, hi, cx, cy): cx < 0 marks a cell fully inside the rect, otherwise
# (cx, cy) is a straddling cell at the current level. Items stay in key order throughout.
_Item = tuple[int, int, int, int]


def _refine(items: list[_Item], level: int, x0: int, x1: int, y0: int, y1: int) -> list[_Item]:
    size = 1 << (BITS - level - 1)
    out: list[_Item] = []
    for item in items:
        parent_lo, parent_hi, cx, cy = item
        if cx < 0:
            out.append(item)
            continue
        quarter = (parent_hi - parent_lo + 1) >> 2
        # Children in Z order: y bit is the high bit of each 2-bit digit.
        for gy in (2 * cy, 2 * cy + 1):
            ylo = gy * size
            yhi = ylo + size - 1
            if yhi < y0 or ylo > y1:
                continue
            y_inside = y0 <= ylo and yhi <= y1
            for gx in (2 * cx, 2 * cx + 1):
                xlo = gx * size
                xhi = xlo + size - 1
                if xhi < x0 or xlo > x1:
                    continue
                # Child ranges are the parent's four quarters in digit order (y bit high).
                lo = parent_lo + ((gy & 1) * 2 + (gx & 1)) * quarter
                hi = lo + quarter - 1
                if y_inside and x0 <= xlo and xhi <= x1:
                    out.append((lo, hi, -1, -1))
                else:
                    out.append((lo, hi, gx, gy))
    return out


def _runs(items: list[_Item]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for lo, hi, _, _ in items:
        if runs and lo == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], hi)
        else:
            runs.append((lo, hi))
    return runs


def _level_cover(level: int, x0: int, x1: int, y0: int, y1: int) -> list[_Item]:
    """Every cell at ``level`` touching the rect, as straddling items in key order."""
    size = 1 << (BITS - level)
    items: list[_Item] = []
    for cy in range(y0 // size, y1 // size + 1):
        for cx in range(x0 // size, x1 // size + 1):
            lo, hi = cell_key_range(level, cx, cy)
            items.append((lo, hi, cx, cy))
    items.sort()
    return items


def _rect_ranges(x0: int, x1: int, y0: int, y1: int, max_ranges: int) -> list[tuple[int, int]]:
    # Refine a level at a time (breadth first, kept in key order so merging is linear) and
    # keep the last cover whose merged range count fits the budget. Straddling cells are
    # emitted whole, which over-covers (callers filter precisely) but never misses a point.
    # The item cap bounds the work for long thin boxes whose edges cross many cells.
    # Start at the finest level where the rect touches at most 2x2 cells (no point visiting
    # the levels above), coarser only if even that exceeds a tiny budget.
    extent = max(x1 - x0, y1 - y0) + 1
    level = max(BITS - extent.bit_length(), 0)
    while True:
        items = _level_cover(level, x0, x1, y0, y1)
        best = _runs(items)
        if len(best) <= max_ranges or level == 0:
            break
        level -= 1
    item_cap = 8 * max_ranges
    while level < BITS and any(item[2] >= 0 for item in items):
        refined = _refine(items, level, x0, x1, y0, y1)
        runs = _runs(refined)
        if len(runs) > max_ranges:
            return _runs(_refine_within(items, level, x0, x1, y0, y1, len(best), max_ranges))
        items, best = refined, runs
        level += 1
        if len(items) > item_cap:
            break
    return best


def _refine_within(
    items: list[_Item], level: int, x0: int, x1: int, y0: int, y1: int, runs: int, budget: int
) -> list[_Item]:
    """Refine straddling cells left to right while the merged range count stays in budget."""

    def gap(a: _Item, b: _Item) -> int:
        return 0 if a[1] + 1 == b[0] else 1

    out: list[_Item] = []
    for i, item in enumerate(items):
        if item[2] < 0:
            out.append(item)
            continue
        children = _refine([item], level, x0, x1, y0, y1)
        nxt = items[i + 1] if i + 1 < len(items) else None
        # Only the breaks touching this item change, so the new run count is local arithmetic.
        before = (gap(out[-1], item) if out else 0) + (gap(item, nxt) if nxt else 0)
        after = (gap(out[-1], children[0]) if out else 0) + (gap(children[-1], nxt) if nxt else 0)
        after += sum(gap(a, b) for a, b in zip(children, children[1:], strict=False))
        if runs - before + after <= budget:
            runs += after - before
            out += children
        else:
            out.append(item)
    return out


def bbox_key_ranges(
    west: float,
    south: float,
    east: float,
    north: float,
    max_ranges: int = DEFAULT_MAX_RANGES,
) -> list[tuple[int, int]]:
    """Sorted, disjoint, inclusive key ranges whose union covers every point in the box.

    The box is inclusive; ``west > east`` means it crosses the antimeridian and is split in
    two. At most ``max_ranges`` ranges are returned; they may over-cover, so callers must
    still filter by raw lat/lng. ``south > north`` yields no ranges.
    """
    _check_finite(west, south, east, north)
    if max_ranges < 1:
        raise ValueError("max_ranges must be at least 1")
    if south > north:
        return []
    if west > east:
        half = max(max_ranges // 2, 1)
        east_part = _rect_ranges(*_rect_quanta(west, south, 180.0, north), half)
        west_part = _rect_ranges(*_rect_quanta(-180.0, south, east, north), half)
        ranges = merge_ranges(east_part + west_part)
        if len(ranges) > max_ranges:
            # Only possible with a budget of 1: one hull range still covers both halves.
            return [(ranges[0][0], ranges[-1][1])]
        return ranges
    return _rect_ranges(*_rect_quanta(west, south, east, north), max_ranges)
