"""Map answers straight from SQL, for the seconds before a process's index is built.

The database is the system of record, so these are the right numbers, only slower: the
clusters are ``GROUP BY`` on the Morton key's cell, under a time limit (an answer that
would take longer is empty and says so) so a request never hangs on a cold start.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import numpy as np
from django.db import OperationalError, connection, transaction
from django.db.models import Avg, BigIntegerField, Count, ExpressionWrapper, F, Max, Min, Value

from mapertunity.geo.cover import zoom_level
from mapertunity.geo.index import DEFAULT_MAX_GROUPS, QueryResult
from mapertunity.geo.merge import merge_nearby_result
from mapertunity.geo.morton import BITS

from .filters import JobFilters
from .models import Job, JobQuerySet

TIME_LIMIT_SECONDS = 1.0

BBox = tuple[float, float, float, float]


class TooSlow(Exception):
    """The query ran past the time limit and was stopped."""


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT_SECONDS) -> Iterator[None]:
    """Stop the queries run inside after ``seconds`` (raises :class:`TooSlow`)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        except OperationalError as error:
            if "interrupt" in str(error):
                raise TooSlow from error
            raise
        finally:
            raw.set_progress_handler(None, 0)
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [max(int(seconds * 1000), 1)])
            yield
    except OperationalError as error:
        if "statement timeout" in str(error) or "canceling statement" in str(error):
            raise TooSlow from error
        raise


def matching_jobs(box: BBox, filters: JobFilters | None) -> JobQuerySet:
    """The live jobs in the box that pass the filters, unordered (SQL's side of the map)."""
    jobs = Job.objects.published()
    if filters is not None:
        jobs = filters.apply(jobs)
    return jobs.in_bbox(*box).order_by()


def count_in_box(box: BBox, filters: JobFilters | None) -> int:
    return matching_jobs(box, filters).count()


def ids_in_box(box: BBox, filters: JobFilters | None, limit: int) -> list[int]:
    return list(matching_jobs(box, filters).values_list("id", flat=True)[:limit])


def query_sql(box: BBox, zoom: int, filters: JobFilters | None) -> QueryResult | None:
    """The clusters the index would give (cells, counts, singles), or None if too slow."""
    level = zoom_level(zoom)
    try:
        with time_limit():
            for _ in range(3):
                rows = _cells(box, filters, level)
                if len(rows) <= DEFAULT_MAX_GROUPS or level == 0:
                    break
                level = max(level - 3, 0)
    except TooSlow:
        return None
    shift = 2 * (BITS - level)
    if not rows:
        return QueryResult(total=0, groups=[], shift=shift)
    columns = list(zip(*rows, strict=True))
    cell, count, lat, lng, west, east, south, north, one, kmin, kmax = (
        np.asarray(c) for c in columns
    )
    count = count.astype(np.int64)
    single = count == 1
    arrays = {
        "count": count,
        "lat": lat.astype(np.float64),
        "lng": lng.astype(np.float64),
        "west": west.astype(np.float64),
        "south": south.astype(np.float64),
        "east": east.astype(np.float64),
        "north": north.astype(np.float64),
        "id": np.where(single, one.astype(np.int64), -1),
        "cell": cell.astype(np.int64),
        "kmin": kmin.astype(np.int64),
        "kmax": kmax.astype(np.int64),
    }
    result = QueryResult(total=int(count.sum()), shift=shift, arrays=arrays)
    return merge_nearby_result(result, zoom)


def _cells(box: BBox, filters: JobFilters | None, level: int) -> list[tuple]:
    # Keys are non-negative, so integer division is the shift on both databases.
    cell = ExpressionWrapper(
        F("morton_key") / Value(1 << (2 * (BITS - level))), output_field=BigIntegerField()
    )
    return list(
        matching_jobs(box, filters)
        .annotate(map_cell=cell)
        .values("map_cell")
        .annotate(
            n=Count("id"),
            avg_lat=Avg("lat"),
            avg_lng=Avg("lng"),
            w=Min("lng"),
            e=Max("lng"),
            s=Min("lat"),
            nn=Max("lat"),
            one=Min("id"),
            kmin=Min("morton_key"),
            kmax=Max("morton_key"),
        )
        .order_by("map_cell")
        .values_list(
            "map_cell", "n", "avg_lat", "avg_lng", "w", "e", "s", "nn", "one", "kmin", "kmax"
        )[: DEFAULT_MAX_GROUPS + 1]
    )
