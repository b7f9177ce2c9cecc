"""The map's read path: the live jobs' index, its id lists, its markers and one cache.

Everything the map, the list's count and the API ask of the index goes through here:
:func:`query_jobs` (clusters), :func:`count_jobs` and :func:`job_ids` (the list),
:func:`cell_ids` (the members of one cluster), :func:`markers` (what a marker shows, via
``Job.objects.markers()``), and :func:`count_in_view` for the list's segments (see
:mod:`.listing`). Derived data — keyword (every match, title matches), company and
remote-reach id lists and their intersections, markers, whole answers — lives in one
:class:`StateCache`, invalidated by what each change of the index touched: the snapshot,
the exact state, the tiles of an answer, or one job.

The index is :class:`~mapertunity.geo.live.LiveIndex` over :class:`.mapsource.JobSource`:
built and polled by a maintenance thread per process (or inline when
``MAP_INDEX_REFRESH_SECONDS`` is 0, as in the tests), the snapshot shared under
``MAP_INDEX_DIR``. A request never waits for it: before the first build
:func:`current_view` is ``None`` and callers answer from SQL (:mod:`.mapsql`), marked stale.

A ``near`` search also finds remote jobs open to people living in the place's country,
wherever the job is: the filters become two disjoint parts — within the radius, and
outside it but open to the country — whose cell sums add up.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from django.conf import settings

from mapertunity.core.money import PAY_STEP_USD
from mapertunity.geo.cover import box_rects
from mapertunity.geo.index import IdList, MaskFn, QueryResult, Where
from mapertunity.geo.live import LiveIndex, View
from mapertunity.geo.merge import merge_nearby_result
from mapertunity.geo.morton import BITS
from mapertunity.geo.results import Aggregate
from mapertunity.geo.tiles import MAX_TILE_ZOOM, box_tiles, parent_tiles, tile_span

from . import markerstore, search
from .filters import JobFilters
from .mapsource import NEVER_POSTED, TYPES, WORKPLACES, JobSource, _day
from .models import Job, JobMarker

BBox = tuple[float, float, float, float]

# -- the index ------------------------------------------------------------------------------


def _index_name() -> str:
    """One index per database, so the test database never reads the dev snapshot."""
    db = settings.DATABASES["default"]
    return _name_of(f"{db['ENGINE']}|{db.get('NAME')}|{db.get('HOST')}|{db.get('PORT')}")


@functools.lru_cache(maxsize=16)
def _name_of(where: str) -> str:
    return "jobs-" + hashlib.sha1(where.encode()).hexdigest()[:10]


_live: LiveIndex | None = None
_live_for: tuple[str, str] | None = None
"""The index name and folder setting ``_live`` was made for."""
_live_lock = threading.Lock()


def live_index() -> LiveIndex:
    """This process's live index of the jobs (made on first use, or when settings change)."""
    global _live, _live_for
    wanted = (_index_name(), settings.MAP_INDEX_DIR)
    with _live_lock:
        if _live is None or _live_for != wanted:
            if _live is not None:
                _live.stop()
            _live = LiveIndex(
                JobSource(),
                name=wanted[0],
                directory=Path(wanted[1]) if wanted[1] else None,
                refresh_seconds=lambda: settings.MAP_INDEX_REFRESH_SECONDS,
            )
            _live_for = wanted
        return _live


def current_view() -> View | None:
    """The index as it is now, or None while the first build runs (never waits for it)."""
    return live_index().view()


def job_index() -> View:
    """The index, waiting for it if it must (commands, tests, benchmarks)."""
    return current_view() or live_index().refresh()


def reset() -> None:
    """Stop the maintenance threads and drop the index and the cache (between tests)."""
    global _live
    with _live_lock:
        if _live is not None:
            _live.reset()
        _live = None
    clear_cache()
    markerstore.reset()


def clear_cache() -> None:
    """Forget everything derived from the index (it is worked out again when asked)."""
    _cache.clear()
    _viewports.clear()


# -- the one cache --------------------------------------------------------------------------


def _bytes(value: Any) -> int:
    """Roughly what an entry holds: id lists are big, a marker is small."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes) + 100
    if isinstance(value, bytes):
        return len(value) + 100
    if isinstance(value, Answer):
        return len(value.body) + 150
    if isinstance(value, JoinedTiles):
        return 40 * len(value.count) + 300  # its pieces are the tiles' own
    if isinstance(value, TileAnswer):
        # The body, its features again one by one, and three columns of numbers.
        return 2 * len(value.answer.body) + 41 * len(value.count) + 600
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
        return 2 * len(value[1]) + 300  # a marker: its dict and its JSON
    return 500


Scope = str
VERSION: Scope = "version"
"""Valid for the whole snapshot (the id lists of its jobs: a changed job is tombstoned)."""
SERIAL: Scope = "serial"
"""Valid for one exact state (the delta's id lists)."""
TILES: Scope = "tiles"
"""Valid while no point of the entry's tiles changed (answers of a viewport)."""
IDS: Scope = "ids"
"""Valid while none of the entry's jobs changed (markers)."""

ENTRY_SECONDS = 120.0
"""How long a derived entry is kept at most: an answer's company names and responsiveness
(which change without a write to the index) are at most this much older than the
company table they came from (``markerstore.COMPANY_SECONDS``)."""

MAX_DIRTY = 500_000
"""Tiles and ids remembered as changed in one snapshot; past it the cache starts afresh."""


@dataclass(slots=True)
class _Entry:
    made: float
    scope: Scope
    value: Any
    size: int
    serial: int
    level: int
    deps: tuple[int, ...]


class StateCache:
    """What the read path derives from the index, in one LRU, invalidated by what changed.

    The cache follows the newest :class:`View` it is asked with. A new snapshot (another
    ``version``) drops everything; a change on top of it (a higher ``serial``) marks the
    tiles it touched at every zoom (the parent tiles of the changed points' old and new
    keys, from ``View.touched``) and the jobs it changed. An entry is scoped to the
    snapshot, to one exact state, to a set of tiles (an answer is stale only if a point in
    one of its tiles changed since it was made) or to a set of jobs (a marker).
    ``seconds`` bounds how long an entry lives anyway (a company's new name does not move
    the index); ``max_bytes`` its size.
    """

    def __init__(self, max_bytes: int = 128 << 20, seconds: float = ENTRY_SECONDS) -> None:
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.version: str | None = None
        self.serial = -1
        self.floor = -1
        """Entries made before this serial are not trusted (changes were missed)."""
        self.tiles: list[dict[int, int]] = [{} for _ in range(MAX_TILE_ZOOM + 1)]
        self.ids: dict[int, int] = {}
        self.dirty = 0
        self.entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self.bytes = 0

    def _forget(self, serial: int) -> None:
        """Distrust every entry made before ``serial`` that depends on what changed."""
        self.floor = serial
        self.tiles = [{} for _ in range(MAX_TILE_ZOOM + 1)]
        self.ids = {}
        self.dirty = 0

    def _follow(self, view: View) -> bool:
        """Move to the view's state if it is newer; False if its snapshot is older."""
        if view.version != self.version:
            if self.version is not None and view.version < self.version:
                # Versions name snapshots by build time, so an older one sorts first.
                return False
            self.clear()
            self.version, self.serial, self.floor = view.version, view.serial, view.serial
            return True
        if view.serial <= self.serial:
            return True
        news = [t for t in view.touched if t.serial > self.serial]
        if not news or news[0].serial != self.serial + 1 or news[-1].serial != view.serial:
            self._forget(view.serial)  # the log does not reach back this far
        else:
            for touch in news:
                if len(touch.keys):
                    for level, cells in parent_tiles(touch.keys, range(MAX_TILE_ZOOM + 1)).items():
                        marks = self.tiles[level]
                        for cell in cells.tolist():
                            marks[cell] = touch.serial
                        self.dirty += len(cells)
                for job_id in touch.ids.tolist():
                    self.ids[job_id] = touch.serial
                self.dirty += len(touch.ids)
            if self.dirty > MAX_DIRTY:
                self._forget(view.serial)
        self.serial = view.serial
        return True

    def _valid(self, entry: _Entry, view: View) -> bool:
        if time.monotonic() - entry.made > self.seconds:
            return False
        if entry.scope == VERSION:
            return True
        if entry.scope == SERIAL:
            return entry.serial == view.serial
        if entry.serial < self.floor:
            return False
        marks = self.tiles[entry.level] if entry.scope == TILES else self.ids
        made = entry.serial
        return all(marks.get(dep, -1) <= made for dep in entry.deps)

    def get(self, view: View, key: Hashable) -> Any:
        with self.lock:
            if not self._follow(view):
                return None
            found = self.entries.get(key)
            if found is None:
                return None
            if not self._valid(found, view):
                del self.entries[key]
                self.bytes -= found.size
                return None
            self.entries.move_to_end(key)
            return found.value

    def put(
        self,
        view: View,
        key: Hashable,
        value: Any,
        *,
        scope: Scope,
        level: int = 0,
        deps: tuple[int, ...] = (),
    ) -> None:
        size = _bytes(value) + 8 * len(deps)
        with self.lock:
            if not self._follow(view) or view.version != self.version:
                return
            if size > self.max_bytes // 4:
                return
            if (old := self.entries.pop(key, None)) is not None:
                self.bytes -= old.size
            self.entries[key] = _Entry(
                time.monotonic(), scope, value, size, view.serial, level, deps
            )
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, oldest = self.entries.popitem(last=False)
                self.bytes -= oldest.size

    def through(self, view: View, key: Hashable, make: Callable[[], Any], *, scope: Scope) -> Any:
        """The cached value, or ``make()`` stored (computed outside the lock)."""
        value = self.get(view, key)
        if value is None:
            value = make()
            self.put(view, key, value, scope=scope)
        return value


_cache = StateCache()
_viewports = StateCache(max_bytes=64 << 20)
"""Whole viewport answers, apart: a panning user's boxes are rarely asked again, and
should not push out of ``_cache`` the tiles, id lists and markers every answer is made of."""


# -- id lists -------------------------------------------------------------------------------


def _in_chunks(ids: np.ndarray, fetch: Callable[[list[int]], list[int]]) -> np.ndarray:
    found: list[int] = []
    for start in range(0, len(ids), 500):
        found += fetch(ids[start : start + 500].tolist())
    return np.asarray(found, dtype=np.int64)


def _fetch_ids(kind: str, value: Any, among: np.ndarray | None) -> np.ndarray:
    """Ids of jobs (any status) matching one id-list filter, of all jobs or among some."""
    if kind in ("q", "title"):
        return np.unique(
            search.matching_ids(
                value, among=None if among is None else among.tolist(), in_title=kind == "title"
            )
        )
    jobs = Job.objects.order_by()
    # "reach": remote jobs open to applicants living in a country.
    jobs = jobs.filter(company_id=value) if kind == "company" else jobs.remote_open_to(value)
    if among is None:
        ids = np.fromiter(jobs.values_list("id", flat=True), dtype=np.int64)
    else:
        ids = _in_chunks(
            among, lambda chunk: list(jobs.filter(id__in=chunk).values_list("id", flat=True))
        )
    return np.unique(ids)


@dataclass(frozen=True)
class _Ids:
    """One id list for the snapshot and one for the delta (new rows aren't in the first)."""

    key: tuple
    base: np.ndarray
    delta: np.ndarray

    def contains(self, ids: np.ndarray) -> np.ndarray:
        return np.isin(ids, self.base) | np.isin(ids, self.delta)


def _ids(view: View, kind: str, value: Any) -> _Ids:
    base = _cache.through(
        view, ("ids", kind, value), lambda: _fetch_ids(kind, value, None), scope=VERSION
    )
    delta = _cache.through(
        view,
        ("delta-ids", kind, value),
        lambda: _fetch_ids(kind, value, view.delta_ids) if len(view.delta_ids) else base[:0],
        scope=SERIAL,
    )
    return _Ids((kind, value), base, delta)


def _kept(view: View, op: str, one: _Ids, other: _Ids) -> _Ids:
    """Jobs on both lists (``&``) or on the first only (``-``), kept like the lists
    themselves (a list counts the same keyword and place for each of its segments)."""
    combine = np.intersect1d if op == "&" else np.setdiff1d
    key = (*one.key, op, *other.key)
    base = _cache.through(
        view,
        ("ids", key),
        lambda: combine(one.base, other.base, assume_unique=True),
        scope=VERSION,
    )
    delta = _cache.through(
        view,
        ("delta-ids", key),
        lambda: combine(one.delta, other.delta, assume_unique=True),
        scope=SERIAL,
    )
    return _Ids(key, base, delta)


def _keyword_ids(view: View, terms: str, in_title: bool | None) -> _Ids:
    """Every match, the title matches, or the others (every match less the title's)."""
    if in_title is None:
        return _ids(view, "q", terms)
    title = _ids(view, "title", terms)
    return title if in_title else _kept(view, "-", _ids(view, "q", terms), title)


def reach_ids(view: View, country: str) -> _Ids:
    """Remote jobs open to applicants living in the country."""
    return _ids(view, "reach", country)


# -- filters as index terms -----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One disjoint piece of a filter: a ``near`` search is the radius plus the remote jobs
    open to its country outside it."""

    where: Where
    delta_where: Where
    mask_fn: MaskFn | None = None


def parts_for(filters: JobFilters | None, view: View) -> list[Part]:
    """The filter as index terms (an empty list matches nothing)."""
    if filters is None or filters.is_empty:
        return [Part(Where(), Where())]
    if filters.no_company:
        return []
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
    if filters.confirmed_since is not None:
        minimums["confirmed"] = _day(filters.confirmed_since)
    if filters.not_confirmed_since is not None:
        # Last confirmed before that day: "unconfirmed" is NEVER_POSTED less the day.
        minimums["unconfirmed"] = NEVER_POSTED - _day(filters.not_confirmed_since) + 1
    lists = []
    if filters.terms:
        lists.append(_keyword_ids(view, " ".join(filters.terms), filters.in_title))
    if filters.company_id is not None:
        lists.append(_ids(view, "company", filters.company_id))
    if filters.remote_for:
        lists.append(reach_ids(view, filters.remote_for))

    def part(ids: _Ids | None, near: Any = None, mask_fn: MaskFn | None = None) -> Part:
        def where(delta: bool) -> Where:
            id_list = None
            if ids is not None:
                scope = (view.version, view.serial) if delta else (view.version,)
                key = (*ids.key, "delta" if delta else "base", *scope)
                id_list = IdList(key, ids.delta if delta else ids.base)
            return Where(categories=categories, minimums=minimums, near=near, ids=id_list)

        return Part(where(False), where(True), mask_fn)

    ids = None
    for found in lists:
        ids = found if ids is None else _kept(view, "&", ids, found)
    if filters.near is None:
        return [part(ids)]
    parts = [part(ids, near=filters.near)]
    if filters.near_country:
        reach = reach_ids(view, filters.near_country)
        near = filters.near

        def outside(columns: Any) -> np.ndarray:
            return ~near.contains(columns["lat"], columns["lng"])

        parts.append(part(reach if ids is None else _kept(view, "&", ids, reach), mask_fn=outside))
    return parts


# -- queries --------------------------------------------------------------------------------


def _aggregate(view: View, box: BBox, zoom: float, parts: list[Part], **kw: Any) -> Aggregate:
    aggregates: list[tuple[Aggregate, int]] = []
    level = None
    for p in parts:
        agg = view.aggregate(
            *box,
            zoom,
            where=p.where,
            delta_where=p.delta_where,
            mask_fn=p.mask_fn,
            level=level,
            **kw,
        )
        level = agg.level
        aggregates.append((agg, 1))
    if not aggregates or level is None:
        return Aggregate.empty(0)
    return Aggregate.combine(level, aggregates)


def query_view(view: View, box: BBox, zoom: int, filters: JobFilters | None) -> QueryResult:
    """Clusters of the view's jobs in a box that pass the filters, none overlapping."""
    agg = _aggregate(view, box, zoom, parts_for(filters, view))
    return merge_nearby_result(agg.result(box_rects(*box)), zoom)


WORLD: BBox = (-180.0, -90.0, 180.0, 90.0)


def query_tile(
    view: View, z: int, x: int, y: int, filters: JobFilters | None, *, zoom: int | None = None
) -> QueryResult:
    """Clusters of the view's jobs in web-map tile ``z/x/y`` (by key, so every job is in
    exactly one tile of a zoom) that pass the filters, clustered as a viewport at ``zoom``
    (``z`` unless the tile is drawn bigger) is and merged within the tile only: a client
    folds neighbours across edges."""
    zoom = z if zoom is None else zoom
    span = tile_span(z, x, y)
    agg = _aggregate(view, WORLD, zoom, parts_for(filters, view), span=span)
    return merge_nearby_result(agg.result(box_rects(*WORLD)), zoom)


def query_jobs(
    west: float,
    south: float,
    east: float,
    north: float,
    zoom: int,
    filters: JobFilters | None = None,
) -> QueryResult:
    """Clusters of the live jobs in a box that pass the filters, none overlapping on screen."""
    return query_view(job_index(), (west, south, east, north), zoom, filters)


def count_jobs(
    west: float, south: float, east: float, north: float, filters: JobFilters | None = None
) -> int:
    """How many live jobs in the box pass the filters (what the map's total says); from
    SQL, the same number, while the index is being built."""
    view = current_view()
    if view is None:
        from .mapsql import count_in_box

        return count_in_box((west, south, east, north), filters)
    return count_in_view(view, (west, south, east, north), filters)


def count_in_view(view: View, box: BBox, filters: JobFilters | None) -> int:
    """How many of the view's jobs in the box pass the filters."""
    return _aggregate(view, box, 0, parts_for(filters, view), max_groups=64).total


def job_ids(
    west: float,
    south: float,
    east: float,
    north: float,
    filters: JobFilters | None = None,
    limit: int = 1000,
) -> list[int]:
    """Ids of up to ``limit`` live jobs in the box that pass the filters (no order)."""
    view = current_view()
    if view is None:
        from .mapsql import ids_in_box

        return ids_in_box((west, south, east, north), filters, limit)
    found: list[int] = []
    for p in parts_for(filters, view):
        ids = view.ids_in_box(
            west,
            south,
            east,
            north,
            limit - len(found),
            where=p.where,
            delta_where=p.delta_where,
            mask_fn=p.mask_fn,
        )
        found += ids.tolist()
    return found[:limit]


def cell_ids(
    view: View, cells: np.ndarray, level: int, box: BBox, filters: JobFilters | None
) -> np.ndarray:
    """Every member of a cluster: the matching jobs in the box whose cell at ``level`` is
    one of ``cells``."""
    found = [
        view.ids_in_cells(
            cells, level, *box, where=p.where, delta_where=p.delta_where, mask_fn=p.mask_fn
        )
        for p in parts_for(filters, view)
    ]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


# -- markers --------------------------------------------------------------------------------


MarkerFields = Callable[[list[JobMarker]], None]
"""Adds fields to freshly read markers, in place (see :func:`add_marker_fields`)."""
_marker_fields: list[MarkerFields] = []


def add_marker_fields(add: MarkerFields) -> None:
    """Let an app above jobs put its own facts on markers (the applications app adds each
    company's responsiveness) without jobs importing it."""
    if add not in _marker_fields:
        _marker_fields.append(add)


def _read_markers(ids: list[int]) -> list[tuple[JobMarker, bytes]]:
    fresh = Job.objects.filter(pk__in=ids).order_by().markers()
    for add in _marker_fields:
        add(fresh)
    # The members of the JSON object, ready to be written into a feature's properties.
    return [(marker, orjson.dumps(marker)[1:-1]) for marker in fresh]


def _stored_entries(view: View, ids: list[int]) -> dict[int, tuple[JobMarker, bytes]]:
    """The markers the snapshot's store holds for jobs unchanged since it was taken, with
    their company's fields (name, responsiveness) added."""
    found = markerstore.store(view, live_index())
    if found is None or not ids:
        return {}
    rows = view.base.row_of(np.asarray(ids, dtype=np.int64))
    usable = rows >= 0
    if len(view.tombs):
        usable &= ~np.isin(rows, view.tombs)
    pieces = {}
    for job_id, row, ok in zip(ids, rows.tolist(), usable.tolist(), strict=True):
        if ok and (members := found.members(row)):
            pieces[job_id] = (members, int(found.company[row]))
    if not pieces:
        return {}
    companies = markerstore.company_members({c for _, c in pieces.values()}, _marker_fields)
    out: dict[int, tuple[JobMarker, bytes]] = {}
    for job_id, (members, company) in pieces.items():
        members += b"," + companies[company]
        out[job_id] = (orjson.loads(b"{" + members + b"}"), members)
    return out


def marker_entries(view: View | None, ids: list[int]) -> dict[int, tuple[JobMarker, bytes]]:
    """Marker fields of the jobs and their JSON, kept with the index: from the snapshot's
    marker store (:mod:`.markerstore`) for jobs unchanged since it was taken, else read
    from the database once per snapshot and again only after that job changes (or
    ``seconds``)."""
    known: dict[int, tuple[JobMarker, bytes]] = {}
    if view is not None:
        for job_id in ids:
            if (found := _cache.get(view, ("marker", job_id))) is not None:
                known[job_id] = found
        missing = [i for i in ids if i not in known]
        known.update(_stored_entries(view, missing))
    missing = [i for i in ids if i not in known]
    for start in range(0, len(missing), 500):
        for entry in _read_markers(missing[start : start + 500]):
            job_id = entry[0]["id"]
            known[job_id] = entry
            if view is not None:
                _cache.put(view, ("marker", job_id), entry, scope=IDS, deps=(job_id,))
    return known


def markers(view: View | None, ids: list[int]) -> dict[int, JobMarker]:
    """Marker fields of the jobs (see :func:`marker_entries`)."""
    return {job_id: entry[0] for job_id, entry in marker_entries(view, ids).items()}


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised answer and its strong ETag (a hash of the bytes)."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> Answer:
        return cls(body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"')


@dataclass(frozen=True, slots=True)
class TileAnswer:
    """A tile's answer, and its features one by one (each feature's JSON, where its marker
    is drawn and how many jobs it counts) for a viewport to be put together from tiles."""

    answer: Answer
    pieces: tuple[bytes, ...]
    lng: np.ndarray
    lat: np.ndarray
    count: np.ndarray
    x: np.ndarray
    y: np.ndarray
    """Where each marker is drawn, in pixels of the world at the map's zoom."""
    edge: np.ndarray
    """Which markers are near enough to the tile's edge to be folded with another tile's."""
    near: bytes
    """The answer's ``near`` member as JSON (``b""`` without a ``near`` filter)."""


@dataclass(frozen=True, slots=True)
class JoinedTiles:
    """Neighbouring tiles' features as one set, markers folded across their edges: each
    feature's JSON, where its marker is and how many jobs it counts."""

    pieces: tuple[bytes, ...]
    lng: np.ndarray
    lat: np.ndarray
    count: np.ndarray
    etag: str
    """A hash of the tiles' ETags (what the set is made of)."""
    near: bytes


def cached_joined(view: View, key: Hashable) -> JoinedTiles | None:
    found = _cache.get(view, key)
    return found if isinstance(found, JoinedTiles) else None


def store_joined(
    view: View, key: Hashable, joined: JoinedTiles, tiles: tuple[int, tuple[int, ...]]
) -> None:
    """Keep a joined set of tiles until a point in one of them (``(level, cells)``) changes."""
    level, cells = tiles
    _cache.put(view, key, joined, scope=TILES, level=level, deps=cells)


def cached_tile(view: View | None, key: Hashable) -> TileAnswer | None:
    """A tile's answer with its features, if stored and no point of the tile changed."""
    if view is None:
        return None
    found = _cache.get(view, ("answer", key))
    return found if isinstance(found, TileAnswer) else None


def cached_viewport(view: View | None, key: Hashable) -> Answer | None:
    """The viewport answer stored for ``key`` if none of the tiles it covers changed since."""
    if view is None:
        return None
    found = _viewports.get(view, key)
    return found if isinstance(found, Answer) else None


def store_viewport(
    view: View | None,
    key: Hashable,
    answer: Answer,
    box: BBox,
    zoom: int,
    *,
    tiles: tuple[int, tuple[int, ...]] | None = None,
) -> None:
    """Keep a viewport answer until a point in one of the box's tiles (at ``zoom``)
    changes, or in one of ``tiles`` (``(level, cells)``) when it was put together from
    those."""
    if view is None:
        return
    level, cells = box_tiles(*box, zoom) if tiles is None else tiles
    _viewports.put(view, key, answer, scope=TILES, level=level, deps=cells)


def store_tile_answer(
    view: View | None, key: Hashable, answer: TileAnswer, z: int, x: int, y: int
) -> None:
    """Keep a tile's answer until a point in that tile changes (tracked at zoom 16 at most,
    so a deeper tile is dropped with its level-16 parent)."""
    if view is None:
        return
    level = min(z, MAX_TILE_ZOOM)
    cell = tile_span(z, x, y)[0] >> (2 * (BITS - level))
    _cache.put(view, ("answer", key), answer, scope=TILES, level=level, deps=(cell,))
