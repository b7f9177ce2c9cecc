"""Parsing of the `bbox=west,south,east,north` parameter shared by the map API and lists."""

from __future__ import annotations

import math

BBox = tuple[float, float, float, float]


class BBoxError(ValueError):
    """The text is not a usable box; the message says why, for the person who sent it."""


def parse_bbox(text: str) -> BBox:
    """Four finite numbers, latitudes within ±90 and south <= north.

    Longitudes are wrapped into [-180, 180] (Leaflet reports values past ±180 once the map
    has been panned around the world); the result has west > east when the box crosses
    the antimeridian, and spans the whole world when it is 360° wide or more.
    """
    parts = text.split(",")
    if len(parts) != 4:
        raise BBoxError("bbox must be four comma-separated numbers: west,south,east,north.")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BBoxError("bbox must contain only numbers: west,south,east,north.") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BBoxError("bbox values must be finite numbers.")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BBoxError("bbox latitudes must be between -90 and 90.")
    if south > north:
        raise BBoxError("bbox south must not be greater than north.")
    if east < west and west <= 180 and east >= -180:
        return west, south, east, north  # already an antimeridian-crossing box
    if east - west >= 360:
        return -180.0, south, 180.0, north
    return _wrap(west), south, _wrap(east), north


def _wrap(lng: float) -> float:
    if -180 <= lng <= 180:
        return lng
    return (lng + 180) % 360 - 180
