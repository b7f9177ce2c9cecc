"""Parsing of the `bbox=west,south,east,north` parameter shared by the map API and lists."""

from __future__ import annotations

import math
import re

BBox = tuple[float, float, float, float]

NUMBER = r" *[-+]?([0-9]{1,20}(\.[0-9]{0,20})?|\.[0-9]{1,20})([eE][-+]?[0-9]{1,3})? *"
"""One of the box's numbers: ASCII digits, up to 20 either side of the point (more than a
float keeps), a decimal exponent.

Written out rather than as ``\\d`` and ``\\s``, which mean more in Python (``float`` reads
"٣" and strips "\\x1c") than in the ECMA-262 regex of the API's schema: the parser and the
schema's pattern, built from this, accept the same text.
"""
PATTERN = rf"^{NUMBER},{NUMBER},{NUMBER},{NUMBER}$"
MAX_LENGTH = 400
"""Room for four numbers of every digit a float keeps, and some spaces; the fast path of
the map parses the box before the schema's ``maxLength`` is checked, so it counts here."""
_NUMBER = re.compile(NUMBER)


class BBoxError(ValueError):
    """The text is not a usable box; the message says why, for the person who sent it."""


def parse_bbox(text: str) -> BBox:
    """Four finite numbers as ``NUMBER`` spells them (``MAX_LENGTH`` characters at most),
    latitudes within ±90 and south <= north.

    Longitudes are wrapped into [-180, 180] (Leaflet reports values past ±180 once the map
    has been panned around the world); the result has west > east when the box crosses
    the antimeridian, and spans the whole world when it is 360° wide or more.
    """
    if len(text) > MAX_LENGTH:
        raise BBoxError(f"bbox must be at most {MAX_LENGTH} characters.")
    parts = text.split(",")
    if len(parts) != 4:
        raise BBoxError("bbox must be four comma-separated numbers: west,south,east,north.")
    if not all(_NUMBER.fullmatch(part) for part in parts):
        raise BBoxError("bbox must contain only numbers: west,south,east,north.")
    west, south, east, north = (float(part) for part in parts)
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
