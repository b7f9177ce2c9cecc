"""What a viewport query returns: groups (clusters and single points) and per-cell sums.

An :class:`Aggregate` holds per-cell counts and coordinate sums; aggregates of one box and
zoom over several indexes (a snapshot, its delta buffer, its tombstones) add up cell by
cell, and :meth:`Aggregate.result` turns the sum into centroids, boxes and single ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from mapertunity.geo.cover import E7, Box, cell_bounds
from mapertunity.geo.morton import BITS

_BIG = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Group:
    """One cluster cell (or a single point when ``count == 1``)."""

    count: int
    lat: float
    lng: float
    bbox: tuple[float, float, float, float]
    """``(west, south, east, north)`` holding every member, within the query box; the point
    itself for a single. A cell never crosses the antimeridian."""
    id: int | None
    """The point's id when ``count == 1``, else None."""
    cell: int
    """``key >> shift`` of the cell: stable within one zoom, handy as a marker key."""


class QueryResult:
    """Matched point count and clusters for one viewport.

    Built either from a list of groups or, by the index, from column arrays (``count``,
    ``lat``, ``lng``, ``west``, ``south``, ``east``, ``north``, ``id`` (-1 for clusters),
    ``cell``, and ``kmin``/``kmax``, bounds of the members' keys); the groups are then made
    only when first read. After :func:`~.merge.merge_nearby_result` folds groups together,
    ``member_cells[member_start[i]:member_start[i + 1]]`` are the cells group ``i`` holds.
    ``level`` is the quadtree level of the cells.
    """

    __slots__ = ("_arrays", "_groups", "shift", "total")

    def __init__(
        self,
        total: int,
        groups: list[Group] | None = None,
        shift: int = 0,
        *,
        arrays: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        self.total = total
        self.shift = shift
        self._groups = groups
        self._arrays = arrays

    @property
    def groups(self) -> list[Group]:
        if self._groups is None:
            a = self._arrays or {}
            if not a or not len(a["count"]):
                self._groups = []
            else:
                self._groups = [
                    Group(c, la, lo, (w, s, e, n), None if i < 0 else i, cell)
                    for c, la, lo, w, s, e, n, i, cell in zip(
                        *(
                            a[name].tolist()
                            for name in (
                                "count",
                                "lat",
                                "lng",
                                "west",
                                "south",
                                "east",
                                "north",
                                "id",
                                "cell",
                            )
                        ),
                        strict=True,
                    )
                ]
        return self._groups

    @property
    def level(self) -> int:
        return BITS - self.shift // 2

    @property
    def arrays(self) -> Mapping[str, np.ndarray] | None:
        """The groups as columns, when the result was made from them (else None)."""
        return self._arrays

    def __repr__(self) -> str:
        return f"QueryResult(total={self.total}, groups={len(self.groups)}, shift={self.shift})"


@dataclass(slots=True)
class Aggregate:
    """Per-cell sums of one query, before centroids and boxes are worked out.

    Aggregates of the same box and zoom over different indexes (a snapshot, its delta
    buffer, its tombstones) combine cell by cell; :meth:`result` finishes one.
    """

    level: int
    cell: np.ndarray
    """Cell numbers (``key >> shift``), ascending."""
    count: np.ndarray
    slat: np.ndarray
    """Sum of member latitudes in E7 units (estimated for big filtered cells)."""
    slng: np.ndarray
    kmin: np.ndarray
    """Smallest key of a member (or of a row in the cell: a bound, not always tight)."""
    kmax: np.ndarray
    one: np.ndarray
    """Id of a member; *the* member when ``count == 1``."""

    @classmethod
    def empty(cls, level: int) -> Aggregate:
        i = np.empty(0, dtype=np.int64)
        f = np.empty(0, dtype=np.float64)
        return cls(level, i, i, f, f, i, i, i)

    @property
    def shift(self) -> int:
        return 2 * (BITS - self.level)

    @property
    def total(self) -> int:
        return int(self.count.sum())

    def __len__(self) -> int:
        return len(self.cell)

    @classmethod
    def combine(cls, level: int, parts: list[tuple[Aggregate, int]]) -> Aggregate:
        """Cell-wise sum of ``sign * part``; a cell's single comes from the part with one."""
        parts = [(p, s) for p, s in parts if len(p)]
        if not parts:
            return cls.empty(level)
        if len(parts) == 1 and parts[0][1] == 1:
            return parts[0][0]
        cell = np.concatenate([p.cell for p, _ in parts])
        order = np.argsort(cell, kind="stable")
        cell = cell[order]

        def cat(name: str, signed: bool) -> np.ndarray:
            values = np.concatenate([getattr(p, name) * (s if signed else 1) for p, s in parts])
            return values[order]

        count, slat, slng = cat("count", True), cat("slat", True), cat("slng", True)
        kmin, kmax = cat("kmin", False), cat("kmax", False)
        positive = np.concatenate([np.full(len(p), s > 0) for p, s in parts])[order]
        one = np.where(positive & (count == 1), cat("one", False), -1)
        starts = np.flatnonzero(np.diff(cell, prepend=cell[0] - 1))
        kmin = np.where(positive, kmin, _BIG)
        kmax = np.where(positive, kmax, -1)
        return cls(
            level=level,
            cell=cell[starts],
            count=np.add.reduceat(count, starts),
            slat=np.add.reduceat(slat, starts),
            slng=np.add.reduceat(slng, starts),
            kmin=np.minimum.reduceat(kmin, starts),
            kmax=np.maximum.reduceat(kmax, starts),
            one=np.maximum.reduceat(one, starts),
        )

    def result(self, viewport: list[Box]) -> QueryResult:
        """Clusters with centroids, boxes clipped to the viewport, and single ids."""
        keep = self.count > 0
        count = self.count[keep]
        total = int(count.sum())
        if not total:
            return QueryResult(total=0, groups=[], shift=self.shift)
        lat = self.slat[keep] / count / E7
        lng = self.slng[keep] / count / E7
        west, south, east, north = cell_bounds(self.kmin[keep], self.kmax[keep])
        pad = 1.0 / E7
        west, south, east, north = west - pad, south - pad, east + pad, north + pad
        south = np.maximum(south, min(b[1] for b in viewport))
        north = np.minimum(north, max(b[3] for b in viewport))
        if len(viewport) == 1:
            west = np.maximum(west, viewport[0][0])
            east = np.minimum(east, viewport[0][2])
        else:
            west, east = np.maximum(west, -180.0), np.minimum(east, 180.0)
        single = count == 1
        # A single's sums are exact integers, so its position is exactly the stored one.
        lat = np.where(single, self.slat[keep] / E7, np.clip(lat, south, north))
        lng = np.where(single, self.slng[keep] / E7, np.clip(lng, west, east))
        west, east = np.where(single, lng, west), np.where(single, lng, east)
        south, north = np.where(single, lat, south), np.where(single, lat, north)
        arrays = {
            "count": count,
            "lat": lat,
            "lng": lng,
            "west": west,
            "south": south,
            "east": east,
            "north": north,
            "id": np.where(single, self.one[keep], -1),
            "cell": self.cell[keep],
            "kmin": self.kmin[keep],
            "kmax": self.kmax[keep],
        }
        return QueryResult(total=total, shift=self.shift, arrays=arrays)
