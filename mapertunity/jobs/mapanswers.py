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
from mapertunity.geo.morton import BITS, MAX_ZOOM
from mapertunity.geo.tiles import tile_box

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
    costs a dictionary look-up, not the filter form. Only on a miss does ``parse()`` run
    the form (raising its 400) and the index answer.
    """
    view = mapindex.current_view()
    key = ("viewport", box, zoom, filter_key(query), view is None or view.stale)
    found = mapindex.cached_answer(view, key)
    if found is not None:
        return Reply(found.body, found.etag)
    filters = parse()
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
        body.update(total=result.total, features=features(result, view, filters, box, zoom))
    _describe_near(body, filters)
    if view is None or view.stale:
        body["stale"] = True
    # Serialised here rather than by the response schema (which documents it):
    # validating hundreds of features per request would cost more than the query.
    answer = mapindex.Answer.of(orjson.dumps(body))
    if view is None or view.stale:
        return Reply(answer.body, None)
    mapindex.store_answer(view, key, answer, box, zoom)
    return Reply(answer.body, answer.etag)


TILE_SIZES = {256: 0, 512: 1}
"""Tile sizes in pixels, and how many zooms closer than its own a tile that size is
clustered: a 512 px tile of zoom z is drawn at map zoom z + 1."""


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
    found = mapindex.cached_answer(view, key)
    if found is not None:
        return Reply(found.body, found.etag)
    filters = parse()
    zoom = min(z + TILE_SIZES[size], MAX_ZOOM)
    body: dict[str, Any] = {"type": "FeatureCollection", "tile": [z, x, y], "size": size}
    result: QueryResult | None
    if view is not None:
        result = mapindex.query_tile(view, z, x, y, filters, zoom=zoom)
        where = mapindex.WORLD
    else:
        where = tile_box(z, x, y)
        result = query_sql(where, zoom, filters)
    if result is None:
        body.update(total=0, features=[], stale=True)
        body["detail"] = "The map is starting up; ask again in a moment."
    else:
        shown = features(result, view, filters, where, zoom, single_cells=True)
        body.update(total=result.total, features=shown)
    _describe_near(body, filters)
    if view is None or view.stale:
        body["stale"] = True
        return Reply(orjson.dumps(body), None)
    answer = mapindex.Answer.of(orjson.dumps(body))
    mapindex.store_tile_answer(view, key, answer, z, x, y)
    return Reply(answer.body, answer.etag)


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
