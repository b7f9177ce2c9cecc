"""The live jobs behind the map, as a geo index shared by the server's processes.

The database is the system of record. The first process to need the index builds it from
the live jobs and writes it under ``MAP_INDEX_DIR`` (memory-mapped by every other process);
each process then polls the jobs table at most every ``MAP_INDEX_REFRESH_SECONDS`` and
folds the changes (new, edited, closed, expired jobs) into a small delta, so a write shows
on the map within that long without a rebuild. See :mod:`mapertunity.geo.live`.

How the polls see changes: every save stamps ``updated_at`` (re-read with a margin, for
transactions that commit late); expiry is swept when the earliest closing date passes;
deleted rows are noticed by a count of the rows the snapshot knew, taken every
``MAP_INDEX_VERIFY_SECONDS``, and cause a rebuild. Writes that bypass ``updated_at`` (a
queryset ``update()`` of other fields) show after the next rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.core.money import PAY_STEP_USD
from mapertunity.geo.index import IdList, QueryResult, Where
from mapertunity.geo.live import Changes, LiveIndex, Rows, Schema, View
from mapertunity.geo.merge import merge_nearby_result

from . import search
from .filters import JobFilters
from .models import Job

TYPES = [value for value, _ in EmploymentType.choices]
WORKPLACES = [value for value, _ in Workplace.choices]
SCHEMA = Schema(
    categories={"type": len(TYPES), "workplace": len(WORKPLACES)},
    values=("pay", "posted"),
    band="pay",
)
PAY_UNITS_MAX = 65_535
MARGIN = dt.timedelta(seconds=5)
"""Changes are re-read this far back, for transactions that commit after a later one."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _day(moment: dt.datetime | None) -> int:
    return 0 if moment is None else (moment - _EPOCH).days


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _rows(records: list[tuple]) -> Rows:
    """Rows from (id, lat, lng, type code, workplace code, pay_usd_year, posted day)."""
    data = np.array(records, dtype=np.float64) if records else np.zeros((0, 7))
    pay = np.nan_to_num(data[:, 5], nan=0.0) // PAY_STEP_USD
    return Rows(
        ids=data[:, 0].astype(np.int64),
        lats=data[:, 1],
        lngs=data[:, 2],
        categories={"type": data[:, 3].astype(np.int64), "workplace": data[:, 4].astype(np.int64)},
        values={
            "pay": np.minimum(pay, PAY_UNITS_MAX).astype(np.uint16),
            "posted": np.clip(np.nan_to_num(data[:, 6], nan=0.0), 0, 65_535).astype(np.uint16),
        },
    )


class JobSource:
    """Reads live jobs for :class:`~mapertunity.geo.live.LiveIndex`."""

    schema = SCHEMA

    def _select(self) -> str:
        def case(column: str, values: list[str]) -> str:
            whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
            return f"CASE {column} {whens} ELSE 0 END"

        if connection.vendor == "postgresql":
            day = "FLOOR(EXTRACT(EPOCH FROM posted_at) / 86400)"
        else:
            day = "CAST(julianday(posted_at) - 2440587.5 AS INTEGER)"
        return (
            "SELECT id, lat, lng, "
            f"{case('employment_type', TYPES)}, {case('workplace', WORKPLACES)}, "
            f"pay_usd_year, {day} FROM {Job._meta.db_table} "
            "WHERE status = %s AND valid_through > %s"
        )

    def _fetch(self, extra: str = "", params: tuple = ()) -> Rows:
        now = timezone.now()
        parts = []
        with connection.cursor() as cursor:
            cursor.execute(self._select() + extra, [Job.Status.PUBLISHED, now, *params])
            while chunk := cursor.fetchmany(100_000):
                parts.append(_rows(chunk))
        return Rows.concat(parts) if parts else _rows([])

    def _stamp(self) -> dict[str, Any]:
        # Two queries: SQLite answers a lone MAX() from an index, but scans for two.
        latest = Job.objects.aggregate(latest=Max("updated_at"))["latest"]
        max_id = Job.objects.aggregate(max_id=Max("id"))["max_id"]
        return {"latest": _iso(latest), "max_id": max_id or 0}

    def _next_expiry(self, now: dt.datetime) -> str | None:
        row = Job.objects.filter(status=Job.Status.PUBLISHED, valid_through__gt=now).aggregate(
            first=Min("valid_through")
        )
        return _iso(row["first"])

    def load(self) -> tuple[Rows, dict[str, Any]]:
        now = timezone.now()
        token = self._stamp()
        token["count"] = Job.objects.filter(id__lte=token["max_id"]).count()
        rows = self._fetch()
        token.update(swept=_iso(now), next_expiry=self._next_expiry(now), verified=time.time())
        return rows, token

    def poll(self, token: dict[str, Any]) -> Changes | None:
        now = timezone.now()
        stamp = self._stamp()
        changed = stamp != {"latest": token["latest"], "max_id": token["max_id"]}
        next_expiry = _parse(token.get("next_expiry"))
        expiring = next_expiry is not None and now >= next_expiry
        verify = time.time() - token.get("verified", 0) >= settings.MAP_INDEX_VERIFY_SECONDS
        if not (changed or expiring or verify):
            return None
        new = dict(token)
        if verify:
            # Rows the snapshot and earlier polls knew can only disappear by deletion.
            if Job.objects.filter(id__lte=token["max_id"]).count() != token["count"]:
                return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
            new["verified"] = time.time()
        upserts = _rows([])
        gone: list[int] = []
        if changed:
            since = _parse(token["latest"])
            jobs = Job.objects.all()
            if since is not None:
                jobs = jobs.filter(updated_at__gte=since - MARGIN)
            records = jobs.values_list("id", "status", "valid_through")
            live = [r[0] for r in records if r[1] == Job.Status.PUBLISHED and r[2] > now]
            gone += [r[0] for r in records if not (r[1] == Job.Status.PUBLISHED and r[2] > now)]
            if live:
                upserts = self._fetch_ids(live)
                first = Job.objects.filter(id__in=live).aggregate(first=Min("valid_through"))
                if first["first"] is not None and (
                    next_expiry is None or first["first"] < next_expiry
                ):
                    new["next_expiry"] = _iso(first["first"])
            new["count"] = (
                token["count"]
                + Job.objects.filter(id__gt=token["max_id"], id__lte=stamp["max_id"]).count()
            )
            new.update(stamp)
        if expiring:
            swept = _parse(token["swept"])
            gone += list(
                Job.objects.filter(
                    status=Job.Status.PUBLISHED, valid_through__gt=swept, valid_through__lte=now
                ).values_list("id", flat=True)
            )
            new.update(swept=_iso(now), next_expiry=self._next_expiry(now))
        if not len(upserts) and not gone and new == token:
            return None
        return Changes(upserts, np.asarray(sorted(set(gone)), dtype=np.int64), new)

    def _fetch_ids(self, ids: list[int]) -> Rows:
        parts = []
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            parts.append(self._fetch(f" AND id IN ({marks})", tuple(chunk)))
        return Rows.concat(parts)

    def close(self) -> None:
        connection.close()


def _index_name() -> str:
    """One index per database, so the test database never reads the dev snapshot."""
    db = settings.DATABASES["default"]
    where = f"{db['ENGINE']}|{db.get('NAME')}|{db.get('HOST')}|{db.get('PORT')}"
    return "jobs-" + hashlib.sha1(where.encode()).hexdigest()[:10]


_live: LiveIndex | None = None
_live_lock = threading.Lock()


def live_index() -> LiveIndex:
    """This process's live index of the jobs (made on first use, or when settings change)."""
    global _live
    directory = Path(settings.MAP_INDEX_DIR) if settings.MAP_INDEX_DIR else None
    with _live_lock:
        if _live is None or (_live.name, _live.directory) != (_index_name(), directory):
            _live = LiveIndex(
                JobSource(),
                name=_index_name(),
                directory=directory,
                refresh_seconds=lambda: settings.MAP_INDEX_REFRESH_SECONDS,
            )
        return _live


def job_index() -> View:
    """The current state of the live jobs' index (polled for changes if due)."""
    return live_index().view()


# -- filters -------------------------------------------------------------------------------

_ID_LISTS: OrderedDict[tuple, np.ndarray] = OrderedDict()
_ID_LISTS_LOCK = threading.Lock()


def _ids(key: tuple, fetch: Any) -> np.ndarray:
    with _ID_LISTS_LOCK:
        if key in _ID_LISTS:
            _ID_LISTS.move_to_end(key)
            return _ID_LISTS[key]
    ids = fetch()
    with _ID_LISTS_LOCK:
        _ID_LISTS[key] = ids
        while len(_ID_LISTS) > 64:
            _ID_LISTS.popitem(last=False)
    return ids


def _matching_ids(filters: JobFilters, among: np.ndarray | None) -> np.ndarray:
    """Ids matching the keyword and company filters, of all jobs or among some."""
    ids = None
    if filters.terms:
        ids = search.matching_ids(filters.q, among=None if among is None else among.tolist())
    if filters.company_id is not None:
        jobs = Job.objects.filter(company_id=filters.company_id)
        if among is not None:
            jobs = jobs.filter(id__in=among.tolist())
        company = np.fromiter(jobs.values_list("id", flat=True), dtype=np.int64)
        ids = company if ids is None else np.intersect1d(ids, company)
    return ids


def where_for(filters: JobFilters | None, view: View) -> tuple[Where, Where]:
    """The index filter for the snapshot, and for the delta (whose id list differs)."""
    if filters is None or filters.is_empty:
        return Where(), Where()
    if filters.no_company:
        nothing = Where(ids=IdList(("none",), np.empty(0, dtype=np.int64)))
        return nothing, nothing
    categories = {}
    if filters.types:
        categories["type"] = frozenset(TYPES.index(t) for t in filters.types)
    if filters.workplaces:
        categories["workplace"] = frozenset(WORKPLACES.index(w) for w in filters.workplaces)
    minimums = {}
    if filters.pay_floor_usd is not None:
        minimums["pay"] = filters.pay_floor_usd // PAY_STEP_USD
    if filters.posted_since is not None:
        minimums["posted"] = _day(filters.posted_since)
    base = Where(categories=categories, minimums=minimums, near=filters.near)
    if not filters.terms and filters.company_id is None:
        return base, base
    what = (tuple(filters.terms), filters.company_id)
    key = ("base", *what, view.version)
    base_ids = _ids(key, lambda: _matching_ids(filters, None))
    delta_key = ("delta", *what, view.version, view.serial)
    delta_ids = _ids(delta_key, lambda: _matching_ids(filters, view.delta_ids))
    return (
        Where(
            categories=categories, minimums=minimums, near=filters.near, ids=IdList(key, base_ids)
        ),
        Where(
            categories=categories,
            minimums=minimums,
            near=filters.near,
            ids=IdList(delta_key, delta_ids),
        ),
    )


def query_jobs(
    west: float,
    south: float,
    east: float,
    north: float,
    zoom: int,
    filters: JobFilters | None = None,
) -> QueryResult:
    """Clusters of the live jobs in a box that pass the filters, none overlapping on screen."""
    view = job_index()
    where, delta_where = where_for(filters, view)
    result = view.query(west, south, east, north, zoom, where=where, delta_where=delta_where)
    return merge_nearby_result(result, zoom)


def count_jobs(
    west: float, south: float, east: float, north: float, filters: JobFilters | None = None
) -> int:
    """How many live jobs in the box pass the filters (what the map's total says)."""
    view = job_index()
    where, delta_where = where_for(filters, view)
    return view.count(west, south, east, north, where=where, delta_where=delta_where)


def job_ids(
    west: float,
    south: float,
    east: float,
    north: float,
    filters: JobFilters | None = None,
    limit: int = 1000,
) -> list[int]:
    """Ids of up to ``limit`` live jobs in the box that pass the filters (no order)."""
    view = job_index()
    where, delta_where = where_for(filters, view)
    ids = view.ids_in_box(west, south, east, north, limit, where=where, delta_where=delta_where)
    return ids.tolist()
