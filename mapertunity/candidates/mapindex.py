"""Candidates on the employers' map: their public points only, in a per-process index."""

from __future__ import annotations

import numpy as np
from allauth.account.models import EmailAddress
from django.db.models import Count, Max

from mapertunity.core.indexcache import IndexCache
from mapertunity.geo.index import PointIndex, QueryResult
from mapertunity.geo.merge import merge_nearby
from mapertunity.geo.privacy import merge_small_groups
from mapertunity.geo.where import NOTHING, IdList, Where

from .models import CandidateProfile


def _stamp() -> tuple[int, object, int]:
    # Confirming an email address can put a profile on the map without touching it.
    row = CandidateProfile.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return row["n"], row["latest"], EmailAddress.objects.filter(verified=True).count()


def _build() -> PointIndex:
    rows = list(
        CandidateProfile.objects.on_candidate_map().values_list("pk", "public_lat", "public_lng")
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    lats = np.array([r[1] for r in rows], dtype=np.float64)
    lngs = np.array([r[2] for r in rows], dtype=np.float64)
    return PointIndex.build(ids, lats, lngs)


_cache = IndexCache(stamp=_stamp, build=_build)


def query_candidates(
    west: float, south: float, east: float, north: float, zoom: int, ids: list[int] | None
) -> QueryResult:
    """k-anonymous clusters of the candidates in a box; `ids` limits them to a search's hits."""
    where = NOTHING
    if ids is not None:
        allowed = np.unique(np.asarray(ids, dtype=np.int64))
        # The index maps an id list to rows once per key; the ids themselves are the key.
        where = Where(ids=IdList(("candidates", allowed.tobytes()), allowed))
    result = _cache.get().query(west, south, east, north, zoom, where=where)
    groups = merge_small_groups(result.groups, result.shift)
    return QueryResult(total=result.total, groups=merge_nearby(groups, zoom), shift=result.shift)
