"""Merging of clusters that would overlap on screen.

Grid cells are square, so the clusters of two neighbouring cells can sit a few pixels
apart when their members crowd the shared edge. This pass absorbs every group within
``radius_px`` screen pixels of a bigger one (the way Supercluster does it, but over the
few hundred groups of one viewport instead of every point). Close pairs are found with
numpy; the greedy pass runs in Python only over the groups that have a close neighbour.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from mapertunity.geo.index import Group, QueryResult
from mapertunity.geo.morton import _project_arrays

TILE_PX = 256
_MAX_PAIRS = 2_000_000


def _close_pairs(x: np.ndarray, y: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)``, ``i != j``, of points closer than ``radius`` (both orders)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    # Each point against the points after it in x order within the radius.
    ends = np.searchsorted(xs, xs + radius, side="left")
    counts = ends - np.arange(len(xs)) - 1
    counts = np.maximum(counts, 0)
    if int(counts.sum()) > _MAX_PAIRS:
        raise OverflowError
    first = np.repeat(np.arange(len(xs)), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + offsets
    i, j = order[first], order[second]
    close = (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2 < radius * radius
    i, j = i[close], j[close]
    return np.concatenate((i, j)), np.concatenate((j, i))


def merge_nearby(groups: list[Group], zoom: float, radius_px: float = 40.0) -> list[Group]:
    """Groups with every pair of original centres closer than `radius_px` folded together.

    Bigger groups absorb smaller ones; counts, bounding boxes and count-weighted centroids
    are combined, so the total is unchanged. A merged group has `id=None`.
    """
    if len(groups) < 2 or radius_px <= 0:
        return groups
    scale = TILE_PX * 2 ** max(0.0, min(zoom, 22.0))
    lats = np.fromiter((g.lat for g in groups), dtype=np.float64, count=len(groups))
    lngs = np.fromiter((g.lng for g in groups), dtype=np.float64, count=len(groups))
    x, y = _project_arrays(lngs, lats)
    x, y = x * scale, y * scale
    try:
        first, second = _close_pairs(x, y, radius_px)
    except OverflowError:
        return _merge_all(groups, x, y, radius_px)
    if not len(first):
        return groups
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        neighbours[i].append(j)
    counts = [g.count for g in groups]
    absorbed = [False] * len(groups)
    merged: list[Group] = []
    # Biggest first; ties keep the input order, like the original one-by-one pass.
    for i in sorted(range(len(groups)), key=lambda i: -counts[i]):
        if absorbed[i]:
            continue
        absorbed[i] = True
        members = [i]
        for j in neighbours.get(i, ()):
            if not absorbed[j]:
                absorbed[j] = True
                members.append(j)
        merged.append(groups[i] if len(members) == 1 else combine([groups[m] for m in members]))
    return merged


def merge_nearby_result(result: QueryResult, zoom: float, radius_px: float = 40.0) -> QueryResult:
    """:func:`merge_nearby` on a query result's arrays, without making group objects."""
    arrays = result.arrays
    if arrays is None or len(arrays["count"]) < 2 or radius_px <= 0:
        return result
    scale = TILE_PX * 2 ** max(0.0, min(zoom, 22.0))
    x, y = _project_arrays(arrays["lng"], arrays["lat"])
    try:
        first, second = _close_pairs(x * scale, y * scale, radius_px)
    except OverflowError:
        groups = merge_nearby(result.groups, zoom, radius_px)
        return QueryResult(total=result.total, groups=groups, shift=result.shift)
    if not len(first):
        return result
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        neighbours[i].append(j)
    counts = arrays["count"]
    owner = np.arange(len(counts))
    absorbed: set[int] = set()
    # Biggest first (ties in input order), as merge_nearby does; only groups with a close
    # neighbour can absorb or be absorbed.
    for i in sorted(neighbours, key=lambda i: (-int(counts[i]), i)):
        if i in absorbed:
            continue
        absorbed.add(i)
        for j in neighbours[i]:
            if j not in absorbed:
                absorbed.add(j)
                owner[j] = i
    keep = np.flatnonzero(owner == np.arange(len(counts)))
    at = np.searchsorted(keep, owner)
    # Members grouped by the group they now belong to, each group's in input order.
    order = np.argsort(at, kind="stable")
    sizes = np.bincount(at, minlength=len(keep))
    member_start = np.concatenate(([0], np.cumsum(sizes)))
    heads = member_start[:-1]

    def summed(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values[order], heads)

    total = summed(counts)
    merged = sizes > 1
    # Singles that were not merged keep their exact stored position.
    out = {
        "count": total.astype(np.int64),
        "lat": np.where(merged, summed(arrays["lat"] * counts) / total, arrays["lat"][keep]),
        "lng": np.where(merged, summed(arrays["lng"] * counts) / total, arrays["lng"][keep]),
        "id": np.where(merged, -1, arrays["id"][keep]),
        "cell": arrays["cell"][keep],
        # Which cells each group now holds, so its members can be listed exactly.
        "member_cells": arrays["cell"][order],
        "member_start": member_start,
    }
    for name, reduce in (
        ("kmin", np.minimum),
        ("kmax", np.maximum),
        ("west", np.minimum),
        ("south", np.minimum),
        ("east", np.maximum),
        ("north", np.maximum),
    ):
        if name in arrays:
            out[name] = reduce.reduceat(arrays[name][order], heads)
    return QueryResult(total=result.total, shift=result.shift, arrays=out)


def _merge_all(groups: list[Group], x: np.ndarray, y: np.ndarray, radius: float) -> list[Group]:
    """The same pass with a bucket grid, for inputs with too many close pairs for numpy."""
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    points = list(zip(x.tolist(), y.tolist(), strict=True))
    for i, (px, py) in enumerate(points):
        buckets[(int(px // radius), int(py // radius))].append(i)
    absorbed = [False] * len(groups)
    merged: list[Group] = []
    for i in sorted(range(len(groups)), key=lambda i: -groups[i].count):
        if absorbed[i]:
            continue
        absorbed[i] = True
        px, py = points[i]
        members = [i]
        bx, by = int(px // radius), int(py // radius)
        for cx in (bx - 1, bx, bx + 1):
            for cy in (by - 1, by, by + 1):
                for j in buckets.get((cx, cy), ()):
                    qx, qy = points[j]
                    if not absorbed[j] and (qx - px) ** 2 + (qy - py) ** 2 < radius * radius:
                        absorbed[j] = True
                        members.append(j)
        merged.append(groups[i] if len(members) == 1 else combine([groups[m] for m in members]))
    return merged


def combine(members: list[Group], cell: int | None = None) -> Group:
    """One group for several: counts summed, count-weighted centroid, bounding boxes joined.

    It keeps `cell` if given, else the first member's; it never carries a point's id.
    """
    count = sum(g.count for g in members)
    return Group(
        count=count,
        lat=sum(g.lat * g.count for g in members) / count,
        lng=sum(g.lng * g.count for g in members) / count,
        bbox=(
            min(g.bbox[0] for g in members),
            min(g.bbox[1] for g in members),
            max(g.bbox[2] for g in members),
            max(g.bbox[3] for g in members),
        ),
        id=None,
        cell=members[0].cell if cell is None else cell,
    )
