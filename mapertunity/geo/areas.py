"""Areas a person draws or frames on the map: lng/lat boxes and polygons, antimeridian and all.

A box is ``(west, south, east, north)``; ``west > east`` means it crosses the antimeridian
(as ``core.bbox.parse_bbox`` returns it). A polygon is a ring of ``(lng, lat)`` vertices
kept *unwrapped*: each vertex's longitude is within 180° of the one before, so a ring
drawn across the antimeridian reads ``170, 190`` rather than ``170, -170``, and its first
vertex lies in [-180, 180]. A point is tested at its longitude and one turn either side,
so a ring reaching past ±180 still contains the points beyond it.

Pure Python and numpy; nothing here knows Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Box = tuple[float, float, float, float]
Ring = list[tuple[float, float]]

MAX_VERTICES = 200


class AreaError(ValueError):
    """The shape is not a usable area; the message says why, for the person who drew it."""


def _wrap(lng: float) -> float:
    """A longitude in [-180, 180)."""
    return (lng + 180.0) % 360.0 - 180.0


def unwrap_ring(points: Sequence[Sequence[float]]) -> Ring:
    """Validate a ring of ``(lng, lat)`` pairs and unwrap its longitudes (see module doc).

    Raises :class:`AreaError` for fewer than 3 distinct vertices, more than
    ``MAX_VERTICES``, a latitude past ±90, a non-number, a ring as wide as the world, or
    one that encloses no area.
    """
    if not isinstance(points, Sequence) or isinstance(points, str | bytes):
        raise AreaError("The area must be a list of points.")
    ring: Ring = []
    for point in points:
        if (
            not isinstance(point, Sequence)
            or isinstance(point, str | bytes)
            or len(point) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
        ):
            raise AreaError("Each point of the area must be a longitude and a latitude.")
        lng, lat = float(point[0]), float(point[1])
        if not (math.isfinite(lng) and math.isfinite(lat)):
            raise AreaError("The area's points must be finite numbers.")
        if not -90 <= lat <= 90:
            raise AreaError("The area's latitudes must be between -90 and 90.")
        if ring:
            # Keep each step the short way round: across the antimeridian, not the world.
            previous = ring[-1][0]
            lng = previous + ((lng - previous + 180.0) % 360.0 - 180.0)
        else:
            lng = _wrap(lng) if not -180 <= lng <= 180 else lng
        ring.append((lng, lat))
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()  # a closed ring repeats its first point
    distinct = {(round(x, 9), round(y, 9)) for x, y in ring}
    if len(distinct) < 3:
        raise AreaError("Draw an area with at least three corners.")
    if len(ring) > MAX_VERTICES:
        raise AreaError(f"An area can have at most {MAX_VERTICES} corners.")
    lngs = [x for x, _ in ring]
    if max(lngs) - min(lngs) >= 360:
        raise AreaError("The area must be narrower than the whole world.")
    if abs(ring_area(ring)) < 1e-10:
        raise AreaError("The area's corners must not all lie on one line.")
    return [(round(x, 7), round(y, 7)) for x, y in ring]


def ring_area(ring: Ring) -> float:
    """Signed area in square degrees (shoelace; positive when counter-clockwise)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def ring_bbox(ring: Ring) -> Box:
    """The smallest box holding an unwrapped ring, wrapped into [-180, 180]; west > east
    when the ring crosses the antimeridian."""
    lngs = [x for x, _ in ring]
    lats = [y for _, y in ring]
    west, east = min(lngs), max(lngs)
    south, north = min(lats), max(lats)
    if east - west >= 360:
        return -180.0, south, 180.0, north
    if west >= -180 and east <= 180:
        return west, south, east, north
    w, e = _wrap(west), _wrap(east)
    if e == -180.0 and east > west:
        e = 180.0
    return w, south, e, north


def box_contains(box: Box, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Which points lie in the box, edges included (as SQL's ``bbox_q``)."""
    west, south, east, north = box
    lngs, lats = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
    inside_lat = (lats >= south) & (lats <= north)
    if west > east:
        return inside_lat & ((lngs >= west) | (lngs <= east))
    return inside_lat & (lngs >= west) & (lngs <= east)


def _ring_contains(
    xs: np.ndarray, ys: np.ndarray, lngs: np.ndarray, lats: np.ndarray
) -> np.ndarray:
    """Even-odd ray casting of every point against one ring (numpy, no Python loop per point)."""
    inside = np.zeros(lngs.shape, dtype=bool)
    x2, y2 = np.roll(xs, 1), np.roll(ys, 1)
    for x_a, y_a, x_b, y_b in zip(xs, ys, x2, y2, strict=True):
        crosses = (y_a > lats) != (y_b > lats)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x_a + (lats - y_a) * (x_b - x_a) / (y_b - y_a)
        inside ^= crosses & (lngs < x_at)
    return inside


def _on_edge(xs: np.ndarray, ys: np.ndarray, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Points on the ring's outline (to within about a centimetre): they count as inside,
    as a box's edges do."""
    tol = 1e-7
    on = np.zeros(lngs.shape, dtype=bool)
    x2, y2 = np.roll(xs, 1), np.roll(ys, 1)
    for x_a, y_a, x_b, y_b in zip(xs, ys, x2, y2, strict=True):
        dx, dy = x_b - x_a, y_b - y_a
        length2 = dx * dx + dy * dy
        t = np.clip(((lngs - x_a) * dx + (lats - y_a) * dy) / length2, 0.0, 1.0)
        px, py = x_a + t * dx, y_a + t * dy
        on |= (np.abs(lngs - px) <= tol) & (np.abs(lats - py) <= tol)
    return on


def polygon_contains(ring: Ring, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Which points lie inside an unwrapped ring (its outline included)."""
    lngs = np.asarray(lngs, dtype=float)
    lats = np.asarray(lats, dtype=float)
    xs = np.array([x for x, _ in ring], dtype=float)
    ys = np.array([y for _, y in ring], dtype=float)
    found = np.zeros(lngs.shape, dtype=bool)
    low, high = xs.min(), xs.max()
    for turn in (0.0, 360.0, -360.0):
        shifted = lngs + turn
        near = ~found & (shifted >= low - 1e-9) & (shifted <= high + 1e-9)
        if not near.any():
            continue
        hit = _ring_contains(xs, ys, shifted[near], lats[near]) | _on_edge(
            xs, ys, shifted[near], lats[near]
        )
        found[np.flatnonzero(near)[hit]] = True
    return found


def point_in_polygon(ring: Ring, lng: float, lat: float) -> bool:
    return bool(polygon_contains(ring, np.array([lng]), np.array([lat]))[0])


def point_in_box(box: Box, lng: float, lat: float) -> bool:
    return bool(box_contains(box, np.array([lng]), np.array([lat]))[0])
