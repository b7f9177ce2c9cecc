"""Locations of people that are safe to show: snapped public points and k-anonymous clusters.

A candidate's home is never shown. Their public point is a function of the ~2 km grid cell
the home falls in (so every home in a cell gets the same point): the centre of the nearest
city when the cell lies within that city's reach, else the centre of the cell. On the map,
a cluster of fewer than `k` people is merged with its neighbours into the parent cell.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from mapertunity.geo.distance import Near
from mapertunity.geo.gazetteer import cities
from mapertunity.geo.index import Group
from mapertunity.geo.merge import combine
from mapertunity.geo.morton import morton_key, project, unproject

CELL_LEVEL = 14
"""Quadtree level of the privacy grid: 2**14 cells around the world, ~2.4 km at the equator."""

MIN_GROUP = 5
"""No map cluster of people smaller than this is drawn at its own cell."""


@dataclass(frozen=True, slots=True)
class PublicPoint:
    lat: float
    lng: float
    key: int
    city: str
    """The city whose centre was used, or "" when the cell centre was."""


def cell_of(lat: float, lng: float, level: int = CELL_LEVEL) -> tuple[int, int]:
    x, y = project(lng, lat)
    n = 1 << level
    return min(int(x * n), n - 1), min(int(y * n), n - 1)


def cell_centre(cx: int, cy: int, level: int = CELL_LEVEL) -> tuple[float, float]:
    n = 1 << level
    lng, lat = unproject((cx + 0.5) / n, (cy + 0.5) / n)
    return lat, lng


def city_reach_km(population: int) -> float:
    """How far from its centre a city is taken to extend: 4 km for a town, ~16 km for 10M."""
    return 4.0 + 3.0 * math.log10(max(population, 10_000) / 10_000)


@functools.cache
def _city_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    places = cities(min_population=15_000)
    lats = np.array([p.lat for p in places], dtype=np.float64)
    lngs = np.array([p.lng for p in places], dtype=np.float64)
    population = np.array([p.population for p in places], dtype=np.float64)
    reach = np.array([city_reach_km(p.population) for p in places], dtype=np.float64)
    return lats, lngs, reach, population, [p.name for p in places]


def _city_for(lat: float, lng: float) -> tuple[float, float, str] | None:
    """The largest city whose reach covers the point, or None.

    The largest, not the nearest: a campus or suburb listed as a town of its own inside a
    big city should read as that city.
    """
    lats, lngs, reach, population, names = _city_table()
    if not len(lats):
        return None
    distance = Near(lat, lng, 0.0).distance_km(lats, lngs)
    inside = np.flatnonzero(distance <= reach)
    if not len(inside):
        return None
    best = int(inside[np.argmax(population[inside])])
    return float(lats[best]), float(lngs[best]), names[best]


def public_point(lat: float, lng: float) -> PublicPoint:
    """The point others may see for a home at (lat, lng); depends only on the home's cell."""
    c_lat, c_lng = cell_centre(*cell_of(lat, lng))
    city = _city_for(c_lat, c_lng)
    if city is not None:
        p_lat, p_lng, name = city
    else:
        p_lat, p_lng, name = c_lat, c_lng, ""
    return PublicPoint(lat=p_lat, lng=p_lng, key=morton_key(p_lat, p_lng), city=name)


def merge_small_groups(groups: list[Group], shift: int, k: int = MIN_GROUP) -> list[Group]:
    """Fold clusters of fewer than `k` into wider areas until each has `k` or more.

    Groups already at `k` stay. Small ones climb the quadtree a level at a time: small ones
    sharing a parent cell combine; one that still falls short joins the largest group that
    shares that parent. Only when the whole view holds fewer than `k` is a group this small
    returned, and it is still never one person's own marker.
    """
    # Each entry keeps a member's cell at the base level: its ancestors are cell >> n.
    done = [(g, g.cell) for g in groups if g.count >= k]
    pending = [(g, g.cell) for g in groups if g.count < k]
    level_shift = 0
    while pending and shift + level_shift < 62:
        level_shift += 2
        parents: dict[int, list[tuple[Group, int]]] = {}
        for entry in pending:
            parents.setdefault(entry[1] >> level_shift, []).append(entry)
        pending = []
        for parent, members in parents.items():
            merged = (combine([g for g, _ in members], parent), members[0][1])
            if merged[0].count >= k:
                done.append(merged)
                continue
            hosts = [i for i, (_, base) in enumerate(done) if base >> level_shift == parent]
            if hosts:
                host = max(hosts, key=lambda i: done[i][0].count)
                done[host] = (
                    combine([done[host][0], merged[0]], done[host][0].cell),
                    done[host][1],
                )
            else:
                pending.append(merged)
    if pending and done:
        host = max(range(len(done)), key=lambda i: done[i][0].count)
        joined = [done[host][0], *(g for g, _ in pending)]
        done[host] = (combine(joined, done[host][0].cell), done[host][1])
    elif pending:
        done = [(combine([g for g, _ in pending], 0), 0)]
    return [_anonymous(g) for g, _ in done]


def _anonymous(group: Group) -> Group:
    """A group never carries a person's id, even when it has one member."""
    if group.id is None:
        return group
    return Group(group.count, group.lat, group.lng, group.bbox, None, group.cell)
