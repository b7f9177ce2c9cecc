"""Geospatial core of Mapertunity: Morton keys, the in-memory point index and geocoding.

Pure Python + numpy (no Django), so it can be tested and benchmarked on its own.
"""

from mapertunity.geo.distance import Near
from mapertunity.geo.gazetteer import (
    Gazetteer,
    Geocoder,
    OfflineGeocoder,
    Place,
    cities,
    countries,
    country_name,
    currency_for_country,
    get_gazetteer,
)
from mapertunity.geo.index import Group, IdList, PointIndex, QueryResult, Where
from mapertunity.geo.morton import (
    MAX_LAT,
    bbox_key_ranges,
    morton_key,
    morton_keys,
    normalize_bbox,
    project,
    shift_for_zoom,
)

__all__ = [
    "MAX_LAT",
    "Gazetteer",
    "Geocoder",
    "Group",
    "IdList",
    "Near",
    "OfflineGeocoder",
    "Place",
    "PointIndex",
    "QueryResult",
    "Where",
    "bbox_key_ranges",
    "cities",
    "countries",
    "country_name",
    "currency_for_country",
    "get_gazetteer",
    "morton_key",
    "morton_keys",
    "normalize_bbox",
    "project",
    "shift_for_zoom",
]
