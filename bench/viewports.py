"""The viewports every engine is asked about: a 1280×800 px map at zooms 2, 6, 10 and 14,
centred where the jobs are (a random sample of job positions, as users look where jobs are)."""

from __future__ import annotations

import math

import numpy as np

from mapertunity.geo.morton import MAX_LAT

WIDTH, HEIGHT = 1280, 800
ZOOMS = (2, 6, 10, 14)

Viewport = tuple[float, float, float, float, int]


def _lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def viewport(lat: float, lng: float, zoom: int) -> Viewport:
    """The box Leaflet reports for a map of WIDTH×HEIGHT px centred at (lat, lng)."""
    world = 256 * 2**zoom
    if world <= WIDTH:
        return (-180.0, -MAX_LAT, 180.0, MAX_LAT, zoom)
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    half_w = WIDTH / 2 / world * 360
    north = _lat(max(y - HEIGHT / 2 / world, 0.0))
    south = _lat(min(y + HEIGHT / 2 / world, 1.0))
    west, east = lng - half_w, lng + half_w
    west = (west + 180) % 360 - 180
    east = (east + 180) % 360 - 180
    return (west, south, east, north, zoom)


def viewports(lats: np.ndarray, lngs: np.ndarray, per_zoom: int, seed: int = 7) -> dict[int, list]:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(lats), per_zoom)
    return {z: [viewport(float(lats[i]), float(lngs[i]), z) for i in picks.tolist()] for z in ZOOMS}
