"""Candidates on the employers' map: their public points only, in a live index.

The same machinery as the jobs' map (:class:`~mapertunity.geo.live.LiveIndex`: built and
polled off the request path, changes folded into a delta), with a simpler source. Who is
on the candidate map depends on rows of other apps' tables (allauth's email addresses), so
rather than a trigger-fed log the source watches a cheap stamp of the tables involved and,
when it moves, re-reads the on-map ids and public points (a few columns of a table far
smaller than the jobs') and reports the difference as changes. The index lives in each
process's memory; there is no shared snapshot to replay.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from mapertunity.geo.index import PointIndex, QueryResult
from mapertunity.geo.live import Changes, LiveIndex, Rows, Schema
from mapertunity.geo.merge import merge_nearby
from mapertunity.geo.privacy import merge_small_groups
from mapertunity.geo.where import NOTHING, IdList, Where

from .models import CandidateProfile

SCHEMA = Schema()


def _stamp() -> list[Any]:
    # Confirming an email address can put a profile on the map without touching it.
    row = CandidateProfile.objects.order_by().aggregate(n=Count("id"), latest=Max("updated_at"))
    emails = EmailAddress.objects.order_by().filter(verified=True, primary=True)
    email = emails.aggregate(n=Count("id"), latest=Max("id"))
    latest = row["latest"].isoformat() if row["latest"] else None
    return [row["n"], latest, email["n"], email["latest"]]


def _read() -> dict[int, tuple[float, float]]:
    rows = CandidateProfile.objects.on_candidate_map().order_by()
    return {
        pk: (lat, lng)
        for pk, lat, lng in rows.values_list("pk", "public_lat", "public_lng")
        if lat is not None and lng is not None  # on_candidate_map() requires a point
    }


def _rows(points: dict[int, tuple[float, float]]) -> Rows:
    ids = np.fromiter(points, dtype=np.int64, count=len(points))
    lats = np.array([points[i][0] for i in ids.tolist()], dtype=np.float64)
    lngs = np.array([points[i][1] for i in ids.tolist()], dtype=np.float64)
    return Rows(ids, lats, lngs)


class CandidateSource:
    """On-map candidates for :class:`LiveIndex`; remembers the points it last reported."""

    schema = SCHEMA

    def __init__(self) -> None:
        self._known: dict[int, tuple[float, float]] = {}

    def load(self) -> tuple[Rows, dict[str, Any]]:
        stamp = _stamp()
        self._known = _read()
        return _rows(self._known), {"stamp": stamp}

    def poll(self, token: dict[str, Any], limit: int) -> Changes | None:
        stamp = _stamp()
        if stamp == token.get("stamp"):
            return None
        now = _read()
        moved = {i: p for i, p in now.items() if self._known.get(i) != p}
        gone = np.array(sorted(set(self._known) - set(now)), dtype=np.int64)
        if len(moved) + len(gone) > limit:
            return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
        self._known = now
        return Changes(_rows(moved), gone, {"stamp": stamp})

    def prepare(self) -> None:
        connection.close_if_unusable_or_obsolete()

    def close(self) -> None:
        connection.close()


_live: LiveIndex | None = None
_lock = threading.Lock()


def live_index() -> LiveIndex:
    global _live
    with _lock:
        if _live is None:
            _live = LiveIndex(
                CandidateSource(),
                name="candidates",
                refresh_seconds=lambda: settings.MAP_INDEX_REFRESH_SECONDS,
            )
        return _live


def reset() -> None:
    """Stop the maintenance thread and forget the index (between tests)."""
    global _live
    with _lock:
        if _live is not None:
            _live.reset()
        _live = None


def query_candidates(
    west: float, south: float, east: float, north: float, zoom: int, ids: list[int] | None
) -> QueryResult:
    """k-anonymous clusters of the candidates in a box; `ids` limits them to a search's hits."""
    where = NOTHING
    if ids is not None:
        allowed = np.unique(np.asarray(ids, dtype=np.int64))
        # The index maps an id list to rows once per key; the ids themselves are the key.
        where = Where(ids=IdList(("candidates", allowed.tobytes()), allowed))
    view = live_index().view()
    if view is not None:
        result = view.query(west, south, east, north, zoom, where=where)
    else:
        # Before this process's first build: the same answer from the table itself.
        points = _rows(_read())
        index = PointIndex.build(points.ids, points.lats, points.lngs)
        result = index.query(west, south, east, north, zoom, where=where)
    groups = merge_small_groups(result.groups, result.shift)
    return QueryResult(total=result.total, groups=merge_nearby(groups, zoom), shift=result.shift)
