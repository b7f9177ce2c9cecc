"""Great-circle distance and "within r km of a point", the same formula for SQL and numpy.

Radius search compares the haversine term ``h`` with ``sin²(r / 2R)`` instead of taking an
arcsine, and first limits rows to a box around the circle; the SQL side builds the same
expression from these helpers so both sides agree on which jobs are near.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EARTH_KM = 6371.0088
"""Mean Earth radius (IUGG)."""


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def h_limit(km: float) -> float:
    """The largest haversine term of a point within ``km`` of the centre."""
    return math.sin(min(km / EARTH_KM, math.pi) / 2) ** 2


@dataclass(frozen=True, slots=True)
class Near:
    """Points within ``km`` kilometres of ``(lat, lng)``."""

    lat: float
    lng: float
    km: float

    def box(self) -> tuple[float, float, float, float]:
        """A ``(west, south, east, north)`` box holding the whole circle (west > east wraps).

        Slightly generous, so rounding can never drop a point the distance test keeps.
        """
        d = math.degrees(self.km / EARTH_KM) * (1 + 1e-9) + 1e-7
        south, north = max(self.lat - d, -90.0), min(self.lat + d, 90.0)
        if north >= 90.0 or south <= -90.0 or d >= 90.0:
            return -180.0, south, 180.0, north
        ratio = math.sin(math.radians(d)) / math.cos(math.radians(self.lat))
        if ratio >= 1.0:
            return -180.0, south, 180.0, north
        half = math.degrees(math.asin(ratio)) * (1 + 1e-9) + 1e-7
        if half >= 180.0:
            return -180.0, south, 180.0, north
        west, east = self.lng - half, self.lng + half
        if west < -180.0:
            west += 360.0
        if east > 180.0:
            east -= 360.0
        return west, south, east, north

    def h(self, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
        """The haversine term of each point, computed in the same order as the SQL."""
        p1, l1 = math.radians(self.lat), math.radians(self.lng)
        p2, l2 = np.radians(lats), np.radians(lngs)
        return np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2

    def contains(self, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
        """Whether each point (degrees) lies within the radius."""
        return self.h(lats, lngs) <= h_limit(self.km)

    def distance_km(self, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
        return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(self.h(lats, lngs), 0.0, 1.0)))
