"""The published jobs, held in this process as a geo index for the map.

The database is the system of record. Each process keeps its own read-only index and
rebuilds it when the jobs table has changed, checking at most every
MAP_INDEX_REFRESH_SECONDS, so a write shows on the map within that long.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from mapertunity.geo.index import PointIndex, QueryResult
from mapertunity.geo.merge import merge_nearby

from .models import Job


def _stamp() -> tuple[int, object]:
    # A delete lowers the count; any other change moves updated_at.
    row = Job.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return row["n"], row["latest"]


def _build() -> PointIndex:
    rows = Job.objects.filter(status=Job.Status.PUBLISHED).values_list(
        "id", "lat", "lng", "valid_through"
    )
    ids, lats, lngs, expires = [], [], [], []
    for job_id, lat, lng, valid_through in rows.iterator(chunk_size=5000):
        ids.append(job_id)
        lats.append(lat)
        lngs.append(lng)
        expires.append(int(valid_through.timestamp()))
    return PointIndex.build(
        np.asarray(ids, dtype=np.int64),
        np.asarray(lats, dtype=np.float64),
        np.asarray(lngs, dtype=np.float64),
        columns={"expires": np.asarray(expires, dtype=np.int64)},
    )


class _IndexCache:
    """This process's index and the table stamp it was built from."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: PointIndex | None = None
        self.stamp: tuple[int, object] | None = None
        self.checked_at = 0.0

    def get(self) -> PointIndex:
        fresh = time.monotonic() - self.checked_at < settings.MAP_INDEX_REFRESH_SECONDS
        if self.index is not None and fresh:
            return self.index
        with self.lock:
            stamp = _stamp()
            if self.index is None or stamp != self.stamp:
                self.index, self.stamp = _build(), stamp
            self.checked_at = time.monotonic()
            return self.index


_cache = _IndexCache()


def job_index() -> PointIndex:
    """The index of published jobs, rebuilt first if the table changed since it was built."""
    return _cache.get()


def query_jobs(west: float, south: float, east: float, north: float, zoom: int) -> QueryResult:
    """Clusters of the live jobs in a box, none overlapping on screen; expired jobs are hidden."""
    now = int(timezone.now().timestamp())
    result = job_index().query(
        west, south, east, north, zoom, mask_fn=lambda columns: columns["expires"] > now
    )
    groups = merge_nearby(result.groups, zoom)
    return QueryResult(total=result.total, groups=groups, shift=result.shift)
