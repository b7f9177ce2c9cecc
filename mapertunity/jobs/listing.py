"""A page of the matching jobs in the order asked, cheap however many jobs match.

An ORDER BY over a value computed for each row (a relevance score, "not confirmed lately
last") makes the database read and sort every match before it can return twenty: seconds
at a million jobs. Here an order is a sequence of segments instead (``JobFilters.segments``):
best match lists the jobs confirmed open lately, then the others; relevance the jobs whose
title holds every keyword, then the others. Within a segment jobs are newest first, the
order of the ``job_newest`` index, so the database walks the index and stops after the
page. Which segments a page covers follows from their sizes, which the map index counts at
once (through ``JobFilters.signed_terms``); before its first build, SQL counts them, but
only up to what a list can show.

A list stops after ``JOB_LIST_MAX_RESULTS`` jobs: an OFFSET still walks every row before
it, so a deep page of a sparse filter would read most of the table. Big job boards stop
there too; the count still says how many match, and the filters or the map narrow them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, overload

from django.conf import settings
from django.db.models import QuerySet

from . import mapindex
from .filters import JobFilters
from .models import JobQuerySet

WORLD = (-180.0, -90.0, 180.0, 90.0)
"""The box of a list with no map view."""
ID_LOOKUP = 2000
"""Up to this many matches, a list fetches the index's ids rather than scanning SQL."""

Count = Callable[[JobFilters], int]
Rows = Callable[[JobFilters], QuerySet[Any]]


def max_results() -> int:
    return settings.JOB_LIST_MAX_RESULTS


def index_count(count: Count) -> Count:
    """Sizes of segments from a count of positive conditions (the map index's), each term
    counted once per listing."""
    known: dict[JobFilters, int] = {}

    def positive(filters: JobFilters) -> int:
        if filters not in known:
            known[filters] = count(filters)
        return known[filters]

    return lambda segment: sum(sign * positive(term) for sign, term in segment.signed_terms())


def sql_count(rows: Rows, *, capped: bool = True) -> Count:
    """Sizes of segments counted in SQL; capped, up to what a list shows plus one (enough
    to say "more")."""

    def count(segment: JobFilters) -> int:
        jobs = rows(segment).order_by()
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
                jobs = self.rows(segment).order_by(*segment.order_by)
                found += jobs[low - offset : high - offset]
            offset += size
        return found


def index_ids(box: mapindex.BBox) -> Callable[[JobFilters], list[int]]:
    """The ids of a segment's jobs in the box, from the map index: its positive part less
    the jobs of each other term (at most ``ID_LOOKUP`` of them)."""
    known: dict[JobFilters, set[int]] = {}

    def positive(filters: JobFilters) -> set[int]:
        if filters not in known:
            known[filters] = set(mapindex.job_ids(*box, filters, limit=ID_LOOKUP))
        return known[filters]

    def ids(segment: JobFilters) -> list[int]:
        (_, base), *others = segment.signed_terms()
        return sorted(positive(base).difference(*(positive(f) for _, f in others)))

    return ids


def ordered_jobs(
    filters: JobFilters, jobs: JobQuerySet, box: mapindex.BBox, now: dt.datetime | None = None
) -> OrderedJobs:
    """The jobs of ``jobs`` (live ones in the box) that pass the filters, in order.

    Counted by the map index; before its first build by SQL, up to what the list shows
    (then ``total`` may be a floor)."""
    view = mapindex.current_view()

    def rows(segment: JobFilters) -> JobQuerySet:
        return segment.apply(jobs)

    if view is None:
        count = sql_count(rows)
        total = count(filters)
        return OrderedJobs(filters, rows, count, total=total, exact=total <= max_results(), now=now)
    count = index_count(lambda f: mapindex.count_in_view(view, box, f))
    total = count(filters)
    if total > ID_LOOKUP:
        return OrderedJobs(filters, rows, count, total=total, now=now)
    # A small area of a big table: name each segment's rows instead of scanning for them,
    # and leave the keywords out of that SQL: the ids match them, and the full-text test
    # reads every match of a word (100,000 for a common one).
    ids = index_ids(box)

    def named(segment: JobFilters) -> JobQuerySet:
        return replace(segment, q="").apply(jobs.filter(id__in=ids(segment)))

    return OrderedJobs(filters, named, count, total=total, now=now)
