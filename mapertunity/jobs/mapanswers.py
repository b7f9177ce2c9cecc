"""What the map endpoints answer: GeoJSON of a viewport, and the jobs of one cluster.

Built from :mod:`.mapindex` (or :mod:`.mapsql` before a process's index exists) and
serialised here; a viewport's answer is cached under its normalised query until a point
in one of its tiles changes, so the API layer only parses parameters and returns bytes.

A cluster names its members with a ``cell`` token: the quadtree level, the cells it holds
(several when neighbours were folded together on screen) and the viewport it was cut by.
Listing a token with the same filters gives exactly the ``point_count`` jobs it counted.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from django.db.models import Q
from django.forms import MultipleChoiceField
from django.http import QueryDict

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.core.choices import PayPeriod
from mapertunity.geo.cover import zoom_level
from mapertunity.geo.index import QueryResult
from mapertunity.geo.live import View
from mapertunity.geo.morton import BITS, MAX_ZOOM, _project_arrays
from mapertunity.geo.tiles import MAX_TILE_ZOOM, box_pixels, tile_box, tile_span, view_tiles

from . import mapindex
from .filters import FILTER_PARAMS, JobFilterForm, JobFilters
from .listing import ID_LOOKUP, OrderedJobs, named, sql_count
from .mapsql import matching_jobs, query_sql
from .models import Job

BBox = tuple[float, float, float, float]
MAX_CELLS = 256
PER_PAGE = 20
_SPLIT_SHIFT = 2 * (BITS - zoom_level(MAX_ZOOM))
"""Members whose keys agree above this stay one cluster at the deepest zoom."""


# -- cell tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CellRef:
    """The members of one cluster: matching jobs in ``box`` whose cell at ``level`` is one
    of ``cells``."""

    level: int
    cells: tuple[int, ...]
    box: BBox

    @property
    def token(self) -> str:
        return cell_token(self.level, self.cells, box_text(self.box))

    def key_ranges(self) -> Q:
        """The cells as Morton key ranges, for SQL (the key column has a B-tree)."""
        shift = 2 * (BITS - self.level)
        q = Q()
        for cell in self.cells:
            q |= Q(morton_key__gte=cell << shift, morton_key__lt=(cell + 1) << shift)
        return q


def box_text(box: BBox) -> str:
    """The box part of a token (written once per answer, shared by all its clusters)."""
    return ",".join(repr(float(v)) for v in box)


def cell_token(level: int, cells: Iterable[int], box: str) -> str:
    return f"{level}:{'.'.join(format(c, 'x') for c in cells)}:{box}"


_TOKEN = re.compile(
    rf"^(\d{{1,2}}):([0-9a-f]{{1,16}}(?:\.[0-9a-f]{{1,16}}){{0,{MAX_CELLS - 1}}}):([^:]{{1,200}})$"
)


def parse_cell(text: str) -> CellRef:
    """A token from a cluster feature; ValueError (with a reason) if it isn't one."""
    match = _TOKEN.match(text.strip())
    if match is None:
        raise ValueError("cell must be a cluster's `cell` token from /api/v1/map/jobs.")
    level = int(match[1])
    if level > BITS:
        raise ValueError("cell names a level deeper than any cluster.")
    cells = tuple(sorted({int(c, 16) for c in match[2].split(".")}))
    if cells[-1] >= 1 << (2 * level):
        raise ValueError("cell names a cell outside the world at its level.")
    try:
        box = parse_bbox(match[3])
    except BBoxError as error:
        raise ValueError(f"cell: {error}") from None
    return CellRef(level, cells, box)


# -- the viewport ---------------------------------------------------------------------------


def _columns(result: QueryResult) -> dict[str, np.ndarray]:
    arrays = result.arrays
    if arrays is not None:
        return dict(arrays)
    groups = result.groups
    return {
        "count": np.array([g.count for g in groups], dtype=np.int64),
        "lat": np.array([g.lat for g in groups]),
        "lng": np.array([g.lng for g in groups]),
        "id": np.array([-1 if g.id is None else g.id for g in groups], dtype=np.int64),
        "cell": np.array([g.cell for g in groups], dtype=np.int64),
        **{
            side: np.array([g.bbox[i] for g in groups])
            for i, side in enumerate(("west", "south", "east", "north"))
        },
    }


def _remote(view: View | None, ids: list[int], country: str) -> set[int]:
    """Which of the jobs are remote jobs open to applicants living in the country."""
    if not country or not ids:
        return set()
    if view is not None:
        found = np.asarray(ids, dtype=np.int64)
        return set(found[mapindex.reach_ids(view, country).contains(found)].tolist())
    jobs = Job.objects.order_by().filter(id__in=ids[:2000]).remote_open_to(country)
    return set(jobs.values_list("id", flat=True))


_TRUE, _FALSE = b"true", b"false"


def features(
    result: QueryResult,
    view: View | None,
    filters: JobFilters | None,
    box: BBox,
    zoom: int,
    *,
    single_cells: bool = False,
) -> list[Any]:
    """GeoJSON features of the clusters and single jobs, built from the result's columns.

    A single job's feature is written straight to JSON from its stored marker (an
    ``orjson.Fragment``); a cluster's is a small dict. With ``single_cells`` a single job
    carries its ``cell`` token too, so a client joining tiles can fold it into a cluster.
    """
    arrays = _columns(result)
    if not len(arrays["count"]):
        return []
    counts = arrays["count"].tolist()
    ids = arrays["id"].tolist()
    single_ids = [i for c, i in zip(counts, ids, strict=True) if c == 1 and i >= 0]
    jobs = mapindex.marker_entries(view, single_ids) if single_ids else {}
    remote = _remote(view, single_ids, filters.reach_country if filters else "")
    # Rounded in one go: per-value round() calls cost more than the query at 300 groups.
    points = np.round(np.column_stack((arrays["lng"], arrays["lat"])), 6).tolist()
    sides = [arrays[side] for side in ("west", "south", "east", "north")]
    boxes = np.round(np.column_stack(sides), 6).tolist()
    cells = arrays["cell"].tolist()
    members, starts = arrays.get("member_cells"), arrays.get("member_start")
    if "kmin" in arrays:
        kmin, kmax = arrays["kmin"], arrays["kmax"]
        same = (kmin == kmax).tolist()
        split = ((kmin >> _SPLIT_SHIFT) != (kmax >> _SPLIT_SHIFT)).tolist()
    else:
        same = [b[0] == b[2] and b[1] == b[3] for b in boxes]
        split = [not s for s in same]
    level = result.level
    where = box_text(box)
    out: list[Any] = []
    dumps, fragment = orjson.dumps, orjson.Fragment
    for i, (count, job_id, point, bbox) in enumerate(zip(counts, ids, points, boxes, strict=True)):
        if count == 1 and job_id in jobs:
            cell = b""
            if single_cells:
                cell = b',"cell":"' + cell_token(level, (cells[i],), where).encode() + b'"'
            out.append(
                fragment(
                    b'{"type":"Feature","geometry":{"type":"Point","coordinates":'
                    + dumps(point)
                    + b'},"properties":{"cluster":false,'
                    + jobs[job_id][1]
                    + b',"remote":'
                    + (_TRUE if job_id in remote else _FALSE)
                    + cell
                    + b"}}"
                )
            )
            continue
        held = (
            members[starts[i] : starts[i + 1]].tolist()
            if members is not None and starts is not None
            else [cells[i]]
        )
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {
                    "cluster": True,
                    "point_count": count,
                    "bbox": bbox,
                    "cell": cell_token(level, sorted(held), where),
                    "same_place": bool(same[i]),
                    "can_split": bool(split[i]) and not same[i] and zoom < MAX_ZOOM,
                },
            }
        )
    return out


# -- the request path -----------------------------------------------------------------------

_MULTI = tuple(
    sorted(n for n, f in JobFilterForm.base_fields.items() if isinstance(f, MultipleChoiceField))
)
_SINGLE = tuple(sorted(set(JobFilterForm.base_fields) - set(_MULTI)))
_DEFAULTS = {"currency": "USD", "period": PayPeriod.YEAR.value}
_NO_FILTERS = tuple((name, _DEFAULTS[name]) for name in _SINGLE if name in _DEFAULTS)


def filter_key(query: QueryDict) -> tuple:
    """The filter parameters exactly as the filter form reads them, in a fixed order.

    Two query strings with the same key get the same filters (or the same error) from
    :class:`~.filters.JobFilterForm`, so an answer cached under it can be served without
    running the form: a single-valued field is the last value given (as a form widget
    reads it, an absent one the same as empty), a repeatable one the list as given, the
    currency and period with their defaults, and the day when the answer depends on it.
    """
    if query.keys().isdisjoint(FILTER_PARAMS):
        return _NO_FILTERS  # the map's plain view: no parameter but the place
    key: list[Any] = []
    for name in _SINGLE:
        value = query.get(name) or _DEFAULTS.get(name, "")
        if name == "remote_for":
            value = value.strip().upper()
        if value:
            key.append((name, value))
    for name in _MULTI:
        if values := query.getlist(name):
            key.append((name, tuple(values)))
    if query.get("posted_within_days"):
        key.append(("today", dt.datetime.now(dt.UTC).date().toordinal()))
    return tuple(key)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the viewport endpoint sends: the bytes and, when it may be cached, an ETag."""

    body: bytes
    etag: str | None
    """A strong ETag, or None for an answer that must not be cached (still starting up)."""


def viewport(box: BBox, zoom: int, query: QueryDict, parse: Callable[[], JobFilters]) -> Reply:
    """The ``/api/v1/map/jobs`` answer for a box, zoom and query string.

    The cache is asked first, under the normalised query (:func:`filter_key`): a repeat
    costs a dictionary look-up, not the filter form. On a miss a box the size of a screen
    is put together from the 512 px tiles it touches (:func:`composed`), as the site's map
    does: a panned view shares most of its tiles with the view before, so it costs their
    look-ups, not an index query. A smaller box, a very wide one, or one asked before the
    index is fresh is answered exactly for the box (:func:`exact`). Only when something
    must be computed does ``parse()`` run the form (raising its 400).
    """
    view = mapindex.current_view()
    fkey = filter_key(query)
    key = ("viewport", box, zoom, fkey, view is None or view.stale)
    found = mapindex.cached_viewport(view, key)
    if found is not None:
        return Reply(found.body, found.etag)
    if view is not None and not view.stale:
        made = composed(view, box, zoom, fkey, _once(parse))
        if made is not None:
            answer, tiles = made
            mapindex.store_viewport(view, key, answer, box, zoom, tiles=tiles)
            return Reply(answer.body, answer.etag)
    return exact(view, key, box, zoom, parse())


def exact(view: View | None, key: tuple, box: BBox, zoom: int, filters: JobFilters) -> Reply:
    """The viewport's clusters cut by the box itself: ``total`` is every matching job in
    it, and clusters reach no further than its edges."""
    body: dict[str, Any] = {"type": "FeatureCollection"}
    result: QueryResult | None = (
        mapindex.query_view(view, box, zoom, filters)
        if view is not None
        else query_sql(box, zoom, filters)
    )
    if result is None:
        body.update(total=0, features=[], stale=True)
        body["detail"] = "The map is starting up; ask again in a moment."
    else:
        shown = features(result, view, filters, box, zoom, single_cells=True)
        body.update(total=result.total, features=shown)
    _describe_near(body, filters)
    if view is None or view.stale:
        body["stale"] = True
    # Serialised here rather than by the response schema (which documents it):
    # validating hundreds of features per request would cost more than the query.
    answer = mapindex.Answer.of(orjson.dumps(body))
    if view is None or view.stale:
        return Reply(answer.body, None)
    mapindex.store_viewport(view, key, answer, box, zoom)
    return Reply(answer.body, answer.etag)


def _once(parse: Callable[[], JobFilters]) -> Callable[[], JobFilters]:
    """``parse``, run at most once however many tiles need it."""
    return functools.cache(parse)


TILE_SIZES = {256: 0, 512: 1}
"""Tile sizes in pixels, and how many zooms closer than its own a tile that size is
clustered: a 512 px tile of zoom z is drawn at map zoom z + 1."""

COMPOSED_SIZE = 512
"""The tiles a viewport is put together from: the site's map asks for these, so a
viewport and the map share their cache."""
COMPOSED_MAX_TILES = 48
"""More tiles than a big screen needs (a 2560 × 1440 view touches 24) take the exact path."""
COMPOSED_MIN_PX = 256
"""A box narrower or lower than this on screen takes the exact path: its tiles' clusters,
drawn where their members are, could all fall outside it."""
FOLD_PX = 40
"""Markers of neighbouring tiles nearer than this on screen are folded into one, as the
server folds markers within a tile (and as ``joinTiles`` in map.js does)."""


def tile(
    z: int, x: int, y: int, query: QueryDict, parse: Callable[[], JobFilters], size: int = 256
) -> Reply:
    """The ``/api/v1/map/tiles/{z}/{x}/{y}`` answer: the clusters and single jobs of one
    web-map tile, cached until a point in that tile changes. A tile of ``size`` 512 px
    covers the same ground, clustered as the map is one zoom closer (a quarter of the
    requests for a view).

    Every job lies in exactly one tile of a zoom (by its key), so a client adds up tiles
    without counting a job twice. Clusters are folded within the tile; their tokens share
    one level and the world box at a zoom, so a client folding clusters across a tile edge
    joins their cells into one token. Before the index exists the answer is SQL's for the
    tile's box, marked stale and not cached.
    """
    view = mapindex.current_view()
    key = ("tile", z, x, y, size, filter_key(query), view is None or view.stale)
    found = mapindex.cached_tile(view, key)
    if found is not None:
        return Reply(found.answer.body, found.answer.etag)
    filters = parse()
    if view is not None and not view.stale:
        made = _tile_answer(view, key, z, x, y, size, filters)
        return Reply(made.answer.body, made.answer.etag)
    body: dict[str, Any] = {"type": "FeatureCollection", "tile": [z, x, y], "size": size}
    zoom = min(z + TILE_SIZES[size], MAX_ZOOM)
    where = mapindex.WORLD if view is not None else tile_box(z, x, y)
    result: QueryResult | None = (
        mapindex.query_tile(view, z, x, y, filters, zoom=zoom)
        if view is not None
        else query_sql(where, zoom, filters)
    )
    if result is None:
        body.update(total=0, features=[])
        body["detail"] = "The map is starting up; ask again in a moment."
    else:
        shown = features(result, view, filters, where, zoom, single_cells=True)
        body.update(total=result.total, features=shown)
    _describe_near(body, filters)
    body["stale"] = True
    return Reply(orjson.dumps(body), None)


def _tile_answer(
    view: View, key: tuple, z: int, x: int, y: int, size: int, filters: JobFilters
) -> mapindex.TileAnswer:
    """A fresh tile's answer, with its features kept one by one, stored under ``key``."""
    zoom = min(z + TILE_SIZES[size], MAX_ZOOM)
    result = mapindex.query_tile(view, z, x, y, filters, zoom=zoom)
    shown = features(result, view, filters, mapindex.WORLD, zoom, single_cells=True)
    pieces = tuple(orjson.dumps(f) for f in shown)
    body: dict[str, Any] = {
        "type": "FeatureCollection",
        "tile": [z, x, y],
        "size": size,
        "total": result.total,
        "features": orjson.Fragment(b"[" + b",".join(pieces) + b"]"),
    }
    _describe_near(body, filters)
    columns = _columns(result)
    lng, lat = np.round(columns["lng"], 6), np.round(columns["lat"], 6)
    # Where each marker is drawn, in pixels of the world at the tile's zoom, and whether
    # it is near enough to an edge to be folded with a neighbouring tile's.
    world = float(size << z)
    px, py = (v * world for v in _project_arrays(lng, lat))
    inner_x, inner_y = px - x * size, py - y * size
    near_edge = (
        np.minimum(np.minimum(inner_x, size - inner_x), np.minimum(inner_y, size - inner_y))
        < FOLD_PX
    )
    made = mapindex.TileAnswer(
        answer=mapindex.Answer.of(orjson.dumps(body)),
        pieces=pieces,
        lng=lng,
        lat=lat,
        count=np.asarray(columns["count"], dtype=np.int64),
        x=px,
        y=py,
        edge=near_edge,
        near=orjson.dumps(body["near"]) if "near" in body else b"",
    )
    mapindex.store_tile_answer(view, key, made, z, x, y)
    return made


def composed(
    view: View, box: BBox, zoom: int, fkey: tuple, parse: Callable[[], JobFilters]
) -> tuple[mapindex.Answer, tuple[int, tuple[int, ...]]] | None:
    """The viewport put together from the 512 px tiles it touches, and those tiles (as
    ``(level, cells)``, what the answer depends on); None for the exact path instead.

    The features are those of the tiles joined as the site's map joins them
    (:func:`joined`) whose marker is in the box. So a cluster counts whole or not at all:
    ``total`` is what the features shown add up to, a little more or less than the jobs
    strictly inside the box (the list's count), and a cluster's ``bbox`` may reach past
    the box. Its ``cell`` token names exactly its members, as ever.
    """
    if zoom < 1 or min(box_pixels(*box, zoom)) < COMPOSED_MIN_PX:
        return None
    z = zoom - 1
    tiles = view_tiles(*box, z, COMPOSED_MAX_TILES)
    if not tiles:
        return None
    level = min(z, MAX_TILE_ZOOM)
    cells = tuple(sorted({tile_span(z, x, y)[0] >> (2 * (BITS - level)) for x, y, _ in tiles}))
    join = joined(view, z, tuple(tiles), fkey, parse, (level, cells))
    west, south, east, north = box
    lng, lat = join.lng, join.lat
    inside = (lat >= south) & (lat <= north)
    inside &= (lng >= west) & (lng <= east) if west <= east else (lng >= west) | (lng <= east)
    shown = np.flatnonzero(inside)
    pieces = join.pieces
    body = (
        b'{"type":"FeatureCollection","total":'
        + str(int(join.count[shown].sum())).encode()
        + b',"features":['
        + b",".join([pieces[i] for i in shown.tolist()])
        + (b'],"near":' + join.near + b"}" if join.near else b"]}")
    )
    # The body is a function of the box, the zoom and the joined tiles, so a hash of
    # those is a strong validator, at a fraction of hashing the body itself.
    made_of = (repr((box, zoom)) + join.etag).encode()
    etag = '"' + hashlib.blake2b(made_of, digest_size=12).hexdigest() + '"'
    return mapindex.Answer(body, etag), (level, cells)


def joined(
    view: View,
    z: int,
    tiles: tuple[tuple[int, int, int], ...],
    fkey: tuple,
    parse: Callable[[], JobFilters],
    deps: tuple[int, tuple[int, ...]],
) -> mapindex.JoinedTiles:
    """The features of neighbouring 512 px tiles as one set, as ``joinTiles`` in map.js
    joins them: markers nearer than :data:`FOLD_PX` across a tile edge folded into one
    (biggest first). Cached until a point in one of the tiles (``deps``) changes, so the
    views panned within the same tiles share it and only cut it to their box."""
    key = ("joined", z, tiles, fkey)
    found = mapindex.cached_joined(view, key)
    if found is not None:
        return found
    answers = []
    for tx, ty, _ in tiles:
        tile_key = ("tile", z, tx, ty, COMPOSED_SIZE, fkey, False)
        hit = mapindex.cached_tile(view, tile_key)
        answers.append(hit or _tile_answer(view, tile_key, z, tx, ty, COMPOSED_SIZE, parse()))
    sizes = [len(a.count) for a in answers]
    lng = np.concatenate([a.lng for a in answers])
    lat = np.concatenate([a.lat for a in answers])
    count = np.concatenate([a.count for a in answers])
    pieces = list(itertools.chain.from_iterable(a.pieces for a in answers))
    # Where the map draws each marker: east of the antimeridian, in the next world copy.
    px = np.concatenate([a.x for a in answers])
    if any(column != tx for tx, _, column in tiles):
        px += np.repeat([(column - tx) * COMPOSED_SIZE for tx, _, column in tiles], sizes)
    edge = np.flatnonzero(np.concatenate([a.edge for a in answers]))
    tile_of = np.repeat(np.arange(len(answers)), sizes)[edge]
    py = np.concatenate([a.y for a in answers])[edge]
    groups = _fold_groups(px[edge], py, count[edge], tile_of) if len(edge) > 1 else []
    if groups:
        world = float(COMPOSED_SIZE << z)
        kept = np.ones(len(count), dtype=bool)
        made: list[dict[str, Any]] = []
        for group in groups:
            members = edge[group].tolist()
            kept[members] = False
            drawn = (px[members] / world * 360.0 - 180.0).tolist()
            made.append(_folded(members, drawn, pieces, lng, lat, count, z + 1))
        rest = np.flatnonzero(kept)
        pieces = [pieces[i] for i in rest.tolist()] + [orjson.dumps(f) for f in made]
        lng = np.concatenate([lng[rest], [f["geometry"]["coordinates"][0] for f in made]])
        lat = np.concatenate([lat[rest], [f["geometry"]["coordinates"][1] for f in made]])
        count = np.concatenate([count[rest], [f["properties"]["point_count"] for f in made]])
    tags = "".join(a.answer.etag for a in answers)
    join = mapindex.JoinedTiles(
        pieces=tuple(pieces),
        lng=lng,
        lat=lat,
        count=count.astype(np.int64),
        etag=hashlib.blake2b(tags.encode(), digest_size=12).hexdigest(),
        near=answers[0].near,
    )
    mapindex.store_joined(view, key, join, deps)
    return join


def _fold_groups(x: np.ndarray, y: np.ndarray, count: np.ndarray, t: np.ndarray) -> list[list[int]]:
    """Markers near a tile edge (at ``x``, ``y`` on screen, of tiles ``t``) folded with
    those of other tiles nearer than FOLD_PX, biggest first: each group starts at its
    biggest and takes the unfolded smaller ones (as ``joinTiles`` in map.js folds them)."""
    counts = count.tolist()
    # Every pair at once (tens of markers): which are near each other, across an edge.
    close = (x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2 < FOLD_PX**2
    close &= t[:, None] != t[None, :]
    paired = np.flatnonzero(close.any(axis=1))
    if not len(paired):
        return []
    order = sorted(paired.tolist(), key=lambda i: -counts[i])  # stable: biggest first
    rank = {i: r for r, i in enumerate(order)}
    done: set[int] = set()
    groups = []
    for i in order:
        if i in done:
            continue
        group = [i]
        for j in sorted(np.flatnonzero(close[i]).tolist(), key=rank.__getitem__):
            if rank[j] > rank[i] and j not in done:
                group.append(j)
        if len(group) > 1:
            done.update(group)
            groups.append(group)
    return groups


def _wrapped(lng: float) -> float:
    """A longitude drawn one world further east, back within ±180 (rounded as features are)."""
    return round(lng if -180.0 <= lng <= 180.0 else (lng + 180.0) % 360.0 - 180.0, 6)


def _folded(
    members: list[int],
    drawn: list[float],
    pieces: list[bytes],
    lng: np.ndarray,
    lat: np.ndarray,
    count: np.ndarray,
    zoom: int,
) -> dict[str, Any]:
    """One cluster of neighbouring tiles' features: counts added, extents joined, placed at
    the count-weighted middle (of the longitudes as ``drawn``); cells joined (every tile's
    tokens share a level and box)."""
    w, s, e, n = math.inf, math.inf, -math.inf, -math.inf
    scopes: set[tuple[str, str]] = set()
    cells: set[int] = set()
    total = 0
    sum_lng = sum_lat = 0.0
    for i, where in zip(members, drawn, strict=True):
        props = orjson.loads(pieces[i])["properties"]
        x, y, weight = float(lng[i]), float(lat[i]), int(count[i])
        shift = where - x
        fw, fs, fe, fn = props["bbox"] if props["cluster"] else (x, y, x, y)
        w, s, e, n = min(w, fw + shift), min(s, fs), max(e, fe + shift), max(n, fn)
        level, held, box = props.get("cell", "::").split(":")
        scopes.add((level, box))
        cells.update(int(c, 16) for c in held.split(".") if c)
        total += weight
        sum_lng += where * weight
        sum_lat += y * weight
    same = e - w < 2e-5 and n - s < 2e-5
    properties: dict[str, Any] = {
        "cluster": True,
        "point_count": total,
        "bbox": [_wrapped(w), round(s, 6), _wrapped(e), round(n, 6)],
    }
    if len(scopes) == 1 and (scope := scopes.pop())[0]:
        properties["cell"] = cell_token(int(scope[0]), sorted(cells), scope[1])
    properties["same_place"] = same
    properties["can_split"] = not same and zoom < MAX_ZOOM
    middle = [_wrapped(sum_lng / total), round(sum_lat / total, 6)]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": middle},
        "properties": properties,
    }


def _describe_near(body: dict[str, Any], filters: JobFilters) -> None:
    if filters.near is not None:
        body["near"] = {
            "lat": filters.near.lat,
            "lng": filters.near.lng,
            "radius_km": filters.near.km,
            "label": filters.near_label,
            "country": filters.near_country,
        }


# -- one cluster's jobs ---------------------------------------------------------------------


def _cell_count(view: View, cells: np.ndarray, ref: CellRef, filters: JobFilters) -> int:
    return len(mapindex.cell_ids(view, cells, ref.level, ref.box, filters))


def cell_jobs(ref: CellRef, filters: JobFilters, page: int, per_page: int = PER_PAGE) -> dict:
    """One page of a cluster's jobs, sorted as the filters ask (newest first by default);
    the pages stop after ``JOB_LIST_MAX_RESULTS`` jobs, ``total`` says how many there are."""
    view = mapindex.current_view()
    fields = ["id"]
    if filters.near is not None:
        fields.append("distance_km")
    if filters.reach_country:
        fields.append("remote_match")
    cells = np.asarray(ref.cells)
    total, ids = 0, None
    if view is not None:
        found = mapindex.cell_ids(view, cells, ref.level, ref.box, filters)
        total = len(found)
        if total <= ID_LOOKUP:
            ids = found.tolist()

    def members(segment: JobFilters, depth: int) -> Any:
        # A small cluster: its members by id; else the key ranges of its cells.
        jobs = matching_jobs(ref.box, segment)
        jobs = jobs.filter(ref.key_ranges()) if ids is None else named(jobs, ids)
        return jobs.values_list(*fields)

    if view is None:
        count = sql_count(members, capped=False)
        total = count(filters)
    else:
        count = functools.partial(_cell_count, view, cells, ref)
    ordered = OrderedJobs(filters, members, count, total=total)
    pages = max(1, math.ceil(ordered.count() / per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    rows = ordered[start : start + per_page]
    marks = mapindex.markers(view, [row[0] for row in rows])
    listed = []
    for row in rows:
        if row[0] not in marks:
            continue
        extra = dict(zip(fields[1:], row[1:], strict=True))
        job: dict[str, Any] = {**marks[row[0]], "remote": bool(extra.get("remote_match"))}
        if "distance_km" in extra:
            job["distance_km"] = round(float(extra["distance_km"]), 1)
        listed.append(job)
    body: dict[str, Any] = {
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "jobs": listed,
    }
    if view is None or view.stale:
        body["stale"] = True
    return body
