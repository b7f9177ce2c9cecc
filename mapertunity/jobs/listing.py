"""A page of the matching jobs in the order asked, cheap however many jobs match.

An ORDER BY over a value computed for each row (a relevance score, "not confirmed lately
last") makes the database read and sort every match before it can return twenty: seconds
at a million jobs. Here an order is a sequence of segments instead (``JobFilters.segments``):
best match lists the jobs confirmed open lately, then the others; relevance the jobs whose
title holds every keyword, then the others. Within a segment jobs are newest first, the
order of the ``job_newest`` index, so the database walks the index and stops after the
page. Which segments a page covers follows from their sizes, which the map index counts at
once; before its first build, SQL counts them, but only up to what a list can show.

A list stops after ``JOB_LIST_MAX_RESULTS`` jobs: an OFFSET still walks every row before
it, so a deep page of a sparse filter would read most of the table. Big job boards stop
there too; the count still says how many match, and the filters or the map narrow them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from typing import Any, TypeVar, overload

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from mapertunity.geo.live import View

from . import mapindex
from .filters import JobFilters
from .models import JobQuerySet

WORLD = (-180.0, -90.0, 180.0, 90.0)
"""The box of a list with no map view."""
ID_LOOKUP = 2000
"""Up to this many members, a cluster's list names the index's ids rather than scanning."""
MAX_IDS = 10_000
"""The most ids a list names in its SQL (see :class:`IndexedList`)."""

QS = TypeVar("QS", bound=QuerySet[Any])
Count = Callable[[JobFilters], int]
Rows = Callable[[JobFilters, int], QuerySet[Any]]
"""One segment's queryset, given how far into the segment the page ends."""


def max_results() -> int:
    return settings.JOB_LIST_MAX_RESULTS


def sql_count(rows: Rows, *, capped: bool = True) -> Count:
    """Sizes of segments counted in SQL; capped, up to what a list shows plus one (enough
    to say "more")."""

    def count(segment: JobFilters) -> int:
        jobs = rows(segment, 0).order_by()
        return jobs[: max_results() + 1].count() if capped else jobs.count()

    return count


class OrderedJobs:
    """The matching rows in the filters' order, fetched a slice at a time: what a
    Paginator pages through, up to ``JOB_LIST_MAX_RESULTS``. ``rows(segment)`` is one
    segment's queryset (the caller decides what it selects), ``count(segment)`` its size,
    ``total`` the size of all; ``exact`` is False when ``total`` is only a floor."""

    def __init__(
        self,
        filters: JobFilters,
        rows: Rows,
        count: Count,
        *,
        total: int,
        exact: bool = True,
        now: dt.datetime | None = None,
    ) -> None:
        self.segments = filters.segments(now)
        self.rows = rows
        self.size = count
        self.total = total
        self.exact = exact

    def count(self) -> int:
        """How many of the matching jobs the list goes through."""
        return min(self.total, max_results())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int, /) -> Any: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[Any]: ...
    def __getitem__(self, index: int | slice, /) -> Any:
        if isinstance(index, int):
            position = range(self.count())[index]
            return self[position : position + 1][0]
        start, stop, _ = index.indices(self.count())
        found: list[Any] = []
        offset = 0
        for i, segment in enumerate(self.segments):
            if offset >= stop:
                break
            last = i == len(self.segments) - 1
            size = self.total - offset if last else self.size(segment)
            low, high = max(start, offset), min(stop, offset + size)
            if low < high:
                jobs = self.rows(segment, high - offset).order_by(*segment.order_by)
                found += jobs[low - offset : high - offset]
            offset += size
        return found


def named(jobs: QS, ids: Collection[int]) -> QS:
    """``jobs.filter(id__in=ids)`` with the ids written into the SQL: Django binds and
    checks each one (20 ms for 2,000), and they are integers from the map index."""
    if not ids:
        return jobs.none()
    listed = ", ".join(str(int(i)) for i in ids)
    table = jobs.model._meta.db_table
    return jobs.filter(RawSQL(f'"{table}"."id" IN ({listed})', [], output_field=BooleanField()))


class IndexedList:
    """Segments' sizes and rows for a list the map index can count.

    A segment's rows come one of two ways. The database walks the ``job_newest`` index
    and tests each job until the page is full, which reads about ``depth * live / size``
    rows (``live`` all live jobs, ``depth`` how far into the segment the page ends); or the
    index names the segment's ids and the database reads those and sorts them, which reads
    ``size`` rows. The cheaper one is taken; named ids leave the keywords out of the SQL
    (the full-text test reads every match of a word: 100,000 for a common one).

    PostgreSQL is given named ids whenever there are few enough: it plans a walk from its
    estimate of the rows in a map box, which multiplies the shares of the latitude and
    longitude ranges and so is 100 times too low in a city, and then reads the whole
    table and sorts it instead (a second at a million jobs, for a box of 5,000).
    """

    def __init__(self, view: View, box: mapindex.BBox, jobs: JobQuerySet) -> None:
        self.view, self.box, self.jobs = view, box, jobs
        self.live = mapindex.count_in_view(view, WORLD, JobFilters())
        self.plans_walks = connections[jobs.db].vendor != "postgresql"
        self.counts: dict[JobFilters, int] = {}

    def count(self, segment: JobFilters) -> int:
        if segment not in self.counts:
            self.counts[segment] = mapindex.count_in_view(self.view, self.box, segment)
        return self.counts[segment]

    def walks(self, size: int, depth: int) -> bool:
        """Whether to walk the index for a page ``depth`` rows into a segment this big."""
        return size > MAX_IDS or (self.plans_walks and size * size > depth * self.live)

    def rows(self, segment: JobFilters, depth: int) -> JobQuerySet:
        if self.walks(self.count(segment), depth):
            return segment.apply(self.jobs)
        ids = mapindex.job_ids(*self.box, segment, limit=MAX_IDS)
        return replace(segment, q="").apply(named(self.jobs, sorted(ids)))


def ordered_jobs(
    filters: JobFilters, jobs: JobQuerySet, box: mapindex.BBox, now: dt.datetime | None = None
) -> OrderedJobs:
    """The jobs of ``jobs`` (live ones in the box) that pass the filters, in order.

    Counted by the map index; before its first build by SQL, up to what the list shows
    (then ``total`` may be a floor)."""
    view = mapindex.current_view()
    if view is None:

        def rows(segment: JobFilters, depth: int) -> JobQuerySet:
            return segment.apply(jobs)

        count = sql_count(rows)
        total = count(filters)
        return OrderedJobs(filters, rows, count, total=total, exact=total <= max_results(), now=now)
    listing = IndexedList(view, box, jobs)
    return OrderedJobs(filters, listing.rows, listing.count, total=listing.count(filters), now=now)
