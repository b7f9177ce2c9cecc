"""Merging of clusters that would overlap on screen.

Grid cells are square, so the clusters of two neighbouring cells can sit a few pixels
apart when their members crowd the shared edge. This pass absorbs every group within
``radius_px`` screen pixels of a bigger one (the way Supercluster does it, but over the
few hundred groups of one viewport instead of every point).
"""

from __future__ import annotations

import math
from collections import defaultdict

from mapertunity.geo.index import Group
from mapertunity.geo.morton import project

TILE_PX = 256


def merge_nearby(groups: list[Group], zoom: float, radius_px: float = 40.0) -> list[Group]:
    """Groups with every pair of original centres closer than `radius_px` folded together.

    Bigger groups absorb smaller ones; counts, bounding boxes and count-weighted centroids
    are combined, so the total is unchanged. A merged group has `id=None`.
    """
    if len(groups) < 2 or radius_px <= 0:
        return groups
    scale = TILE_PX * 2 ** max(0.0, min(zoom, 22.0))
    points = []
    for group in groups:
        x, y = project(group.lng, group.lat)
        points.append((x * scale, y * scale))
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(points):
        buckets[(int(x // radius_px), int(y // radius_px))].append(i)

    order = sorted(range(len(groups)), key=lambda i: -groups[i].count)
    absorbed = [False] * len(groups)
    merged: list[Group] = []
    for i in order:
        if absorbed[i]:
            continue
        absorbed[i] = True
        x, y = points[i]
        members = [i]
        bx, by = int(x // radius_px), int(y // radius_px)
        for cx in (bx - 1, bx, bx + 1):
            for cy in (by - 1, by, by + 1):
                for j in buckets.get((cx, cy), ()):
                    if not absorbed[j] and math.dist(points[j], (x, y)) < radius_px:
                        absorbed[j] = True
                        members.append(j)
        merged.append(groups[i] if len(members) == 1 else _combine([groups[m] for m in members]))
    return merged


def _combine(members: list[Group]) -> Group:
    count = sum(g.count for g in members)
    biggest = members[0]
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
        cell=biggest.cell,
    )
