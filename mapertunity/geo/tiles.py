"""Web-map tiles (``{z}/{x}/{y}``) as quadtree cells of the Morton key.

Tile ``z/x/y`` is exactly the Morton cell ``(x, y)`` at level ``z``: its points are the keys
whose top ``2 z`` bits spell ``x`` and ``y`` interleaved. So the tiles a point lies in, at
every zoom, are the prefixes of its key (its parent tiles), and the tiles of a map box are
the cells its key ranges cover at that level. A cache keyed by tile can then be invalidated
by a write at the tiles of the changed points' keys alone.
"""

from __future__ import annotations

import math

import numpy as np

from mapertunity.geo.cover import Cover, box_rects
from mapertunity.geo.morton import BITS, MAX_LAT, MAX_ZOOM, _spread_array, _spread_int

MAX_TILE_ZOOM = 16
"""Finest tiles answers are tracked by; a view zoomed further in uses its level-16 tiles."""

MAX_TILES = 64
"""Tiles one answer names at most: a bigger box is tracked by coarser tiles."""


def tile_number(level: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The Morton cell number (``key >> (2 * (BITS - level))``) of tiles ``(x, y)``."""
    del level  # the cell number of (x, y) does not depend on the level, only its range does
    x = np.asarray(x, dtype=np.uint64)
    y = np.asarray(y, dtype=np.uint64)
    return (_spread_array(x) | (_spread_array(y) << np.uint64(1))).astype(np.int64)


def tile_xy(level: int, number: int) -> tuple[int, int]:
    """``(x, y)`` of a tile from its cell number (the inverse of :func:`tile_number`)."""
    x = y = 0
    for bit in range(level):
        x |= ((number >> (2 * bit)) & 1) << bit
        y |= ((number >> (2 * bit + 1)) & 1) << bit
    return x, y


def _quantum(v: float) -> int:
    return min(max(math.floor(v * (1 << BITS)), 0), (1 << BITS) - 1)


def _corner(lng: float, lat: float) -> tuple[int, int]:
    """Quantised Mercator ``(x, y)`` of a point, in scalar arithmetic (a handful of corners
    per request: numpy's per-call cost would exceed the work)."""
    lng = min(max(lng, -180.0), 180.0)
    lat = min(max(lat, -MAX_LAT), MAX_LAT)
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)
    return _quantum((lng + 180.0) / 360.0), _quantum(y)


def box_tiles(
    west: float, south: float, east: float, north: float, zoom: int, max_tiles: int = MAX_TILES
) -> tuple[int, tuple[int, ...]]:
    """``(level, cell numbers)`` of the tiles at ``min(zoom, MAX_TILE_ZOOM)`` (coarser if
    there would be more than ``max_tiles``) that the inclusive box touches, in order."""
    level = max(0, min(int(zoom), MAX_TILE_ZOOM))
    spans = []
    top = (1 << BITS) - 1
    for w, s, e, n in box_rects(west, south, east, north):
        (x0, y0), (x1, y1) = _corner(w, n), _corner(e, s)
        # One quantum of slack, as the index's covering uses: never miss an edge point.
        spans.append((max(x0 - 1, 0), min(x1 + 1, top), max(y0 - 1, 0), min(y1 + 1, top)))
    if not spans:
        return level, ()
    while True:
        shift = BITS - level
        count = sum(
            ((x1 >> shift) - (x0 >> shift) + 1) * ((y1 >> shift) - (y0 >> shift) + 1)
            for x0, x1, y0, y1 in spans
        )
        if count <= max_tiles or level == 0:
            break
        level -= 1
    cells = {
        _spread_int(x) | (_spread_int(y) << 1)
        for x0, x1, y0, y1 in spans
        for x in range(x0 >> shift, (x1 >> shift) + 1)
        for y in range(y0 >> shift, (y1 >> shift) + 1)
    }
    return level, tuple(sorted(cells))


def box_pixels(
    west: float, south: float, east: float, north: float, zoom: int
) -> tuple[float, float]:
    """Width and height in screen pixels of a map box drawn at ``zoom`` (256 px tiles)."""
    scale = 256.0 * (1 << zoom) / (1 << BITS)
    width = height = 0.0
    for w, s, e, n in box_rects(west, south, east, north):
        (x0, y0), (x1, y1) = _corner(w, n), _corner(e, s)
        width += (x1 - x0) * scale
        height = (y1 - y0) * scale
    return width, height


def view_tiles(
    west: float, south: float, east: float, north: float, z: int, max_tiles: int
) -> list[tuple[int, int, int]] | None:
    """The tiles of zoom ``z`` that a map box touches, as ``(x, y, column)``: the column
    on screen is ``x``, or ``x + 2**z`` east of the antimeridian of a box that crosses it
    (the map's next copy of the world). None past ``max_tiles``, or when the box is so
    wide that a tile would be drawn twice."""
    shift = BITS - z
    out: list[tuple[int, int, int]] = []
    seen: set[tuple[int, int]] = set()
    for copy, (w, s, e, n) in enumerate(box_rects(west, south, east, north)):
        (x0, y0), (x1, y1) = _corner(w, n), _corner(e, s)
        xs = range(x0 >> shift, (x1 >> shift) + 1)
        ys = range(y0 >> shift, (y1 >> shift) + 1)
        if len(out) + len(xs) * len(ys) > max_tiles:
            return None
        for y in ys:
            for x in xs:
                if (x, y) in seen:
                    return None
                seen.add((x, y))
                out.append((x, y, x + (copy << z)))
    return out


def parent_tiles(keys: np.ndarray, levels: range) -> dict[int, np.ndarray]:
    """For each level, the distinct tiles holding the keys: a point's tiles at every zoom."""
    keys = np.asarray(keys, dtype=np.int64)
    return {level: np.unique(keys >> (2 * (BITS - level))) for level in levels}


def valid_tile(z: int, x: int, y: int) -> bool:
    """Whether ``z/x/y`` names a web-map tile (zoom 0–``MAX_ZOOM``, x and y inside it)."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 1 << z and 0 <= y < 1 << z


def tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of tile ``z/x/y`` in degrees (the outer rows reach
    the poles, as the Morton key clamps latitudes past ``MAX_LAT`` into them)."""
    n = 1 << z

    def lat(row: int) -> float:
        if row <= 0:
            return 90.0
        if row >= n:
            return -90.0
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def tile_span(z: int, x: int, y: int) -> tuple[int, int]:
    """The Morton keys ``[lo, hi)`` of the points in tile ``z/x/y``: one contiguous run."""
    shift = 2 * (BITS - z)
    cell = _spread_int(x) | (_spread_int(y) << 1)
    return cell << shift, (cell + 1) << shift


def tile_cover(keys: np.ndarray, span: tuple[int, int], level: int) -> Cover:
    """The cells of ``level`` inside a tile's key span and their row ranges, none cut.

    A tile is a quadtree cell, so its cells at any deeper level are consecutive key
    ranges and every row in them lies in the tile: two binary searches per cell and no
    row is read against a box edge (what makes an arbitrary viewport's cover costly).
    """
    lo, hi = span
    size = 1 << (2 * (BITS - level))
    if hi - lo < size:
        raise ValueError("the cluster level must be at least the tile's zoom")
    first, last = np.searchsorted(keys, (lo, hi))
    bounds = np.arange(lo, hi + 1, size, dtype=np.int64)
    rows = np.searchsorted(keys[first:last], bounds) + first
    a, b = rows[:-1], rows[1:]
    occupied = np.flatnonzero(a < b)
    return Cover(
        level=level,
        cell_lo=bounds[occupied],
        a=a[occupied],
        b=b[occupied],
        cell=np.arange(len(occupied), dtype=np.int64),
        scan=np.zeros(len(occupied), dtype=bool),
    )
