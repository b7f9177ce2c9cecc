"""The jobs map: clusters and single jobs of a viewport, and the jobs of one cluster.

This module parses and returns; the answers come from ``jobs/mapanswers.py``. The filter
parameters are the list's (``/jobs/``), validated by the one filter form
(``jobs/filters.py``); their schema here is generated from that form, so the bounds a
client sees documented are the ones applied, declared once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from mapertunity.core.bbox import MAX_LENGTH as BBOX_MAX_LENGTH
from mapertunity.core.bbox import PATTERN as BBOX_PATTERN
from mapertunity.core.bbox import BBox, BBoxError, parse_bbox
from mapertunity.geo.morton import MAX_ZOOM
from mapertunity.geo.tiles import valid_tile
from mapertunity.jobs import mapanswers
from mapertunity.jobs.filters import FILTER_PARAMS, JobFilterForm, JobFilters, filters_from_query

from .errors import PUBLIC, APIError, responses
from .text import NO_NUL, SLUG

router = Router(tags=["map"])
GET = ["GET", "HEAD"]

DESCRIPTIONS = {
    "q": "Keywords, all of which must appear in the title, company or description (stemmed).",
    "type": "Employment types (repeatable)",
    "workplace": "Workplaces (repeatable)",
    "salary_min": "Jobs whose pay range reaches this much, in `currency` per `period`.",
    "currency": "ISO code of `salary_min`'s currency (USD).",
    "period": "Period of `salary_min` (year)",
    "posted_within_days": "Posted in the last N days (whole UTC days).",
    "company": "A company's slug.",
    "near": "A place (city or US ZIP): jobs within `radius_km` of it, and remote jobs open "
    "to applicants living in its country (marked `remote`).",
    "radius_km": "Radius around `near`, km (50).",
    "remote_for": "An ISO country code: only remote jobs open to applicants living there.",
    "sort": "Order of listed jobs: relevance, date, distance (needs `near`); best match "
    "by default. Clusters don't depend on it.",
}


def _values(field: forms.ChoiceField) -> list[str]:
    return [str(v) for v, _ in field.choices if v != ""]  # type: ignore[misc,union-attr]


def _choices(field: forms.ChoiceField) -> str:
    values = _values(field)
    return ", ".join(values) if len(values) <= 12 else f"one of {len(values)} codes"


def filter_fields(form: type[forms.Form], descriptions: dict[str, str]) -> dict[str, Any]:
    """Query parameters documenting a form's fields: types, bounds and choices read off
    the form.

    Values arrive as text and the form validates them (with its messages), so the schema
    accepts any text for numbers and advertises the form's bounds, choices and lengths in
    the OpenAPI document; what it documents is what the form accepts.
    """
    fields: dict[str, Any] = {}
    for name, field in form.base_fields.items():
        text = descriptions.get(name) or str(field.help_text or field.label or name)
        if isinstance(field, forms.MultipleChoiceField):
            items: dict[str, Any] = {"type": "string", "enum": _values(field)}
            fields[name] = (
                list[str],
                Field(
                    [],
                    description=f"{text}: {_choices(field)}.",
                    json_schema_extra={"items": items},
                ),
            )
        elif isinstance(field, forms.IntegerField):  # also DecimalField
            schema: dict[str, Any] = {
                "type": "number" if isinstance(field, forms.DecimalField) else "integer"
            }
            for bound, key in ((field.min_value, "minimum"), (field.max_value, "maximum")):
                if bound is not None:
                    schema[key] = float(bound) if isinstance(bound, Decimal) else bound
            if isinstance(field, forms.DecimalField) and field.decimal_places is not None:
                schema["multipleOf"] = float(Decimal(1).scaleb(-field.decimal_places))
            fields[name] = (str, Field("", description=text, json_schema_extra=schema))
        elif isinstance(field, forms.ChoiceField):
            choices = _choices(field)
            extra: dict[str, Any] = {"enum": ["", *_values(field)]}
            fields[name] = (
                str,
                Field(
                    "",
                    description=f"{text}: {choices}." if choices else text,
                    json_schema_extra=extra,
                ),
            )
        else:
            slug = isinstance(field, forms.SlugField)
            fields[name] = (
                str,
                Field(
                    "",
                    description=text,
                    max_length=getattr(field, "max_length", None),
                    json_schema_extra={"pattern": SLUG if slug else NO_NUL},
                ),
            )
    return fields


BBOX = Field(
    ...,
    description="west,south,east,north in degrees; west > east crosses the antimeridian. "
    "Latitudes within ±90, south ≤ north.",
    examples=["-125,24,-66,50"],
    pattern=BBOX_PATTERN,
    max_length=BBOX_MAX_LENGTH,
)
ZOOM = Field(..., ge=0, le=MAX_ZOOM, description=f"Map zoom level, 0–{MAX_ZOOM}.")

MapParams = create_model(
    "MapParams",
    __base__=Schema,
    bbox=(str, BBOX),
    zoom=(int, ZOOM),
    **filter_fields(JobFilterForm, DESCRIPTIONS),
)
CellParams = create_model(
    "CellParams",
    __base__=Schema,
    cell=(str, Field(..., description="A cluster feature's `cell` token.")),
    page=(int, Field(1, ge=1, le=1_000_000, description="Page of the list, from 1.")),
    **filter_fields(JobFilterForm, DESCRIPTIONS),
)


class Feature(Schema):
    type: str = "Feature"
    geometry: dict[str, Any]
    properties: dict[str, Any]


class FeatureCollection(Schema):
    type: str = "FeatureCollection"
    total: int = Field(
        ...,
        description="The jobs the features count (the sum of the counts): for a box the size "
        "of a screen, whole clusters drawn in it; for a smaller box, every matching job in it.",
    )
    features: list[Feature]
    near: dict[str, Any] | None = Field(
        None, description="The place, country and radius searched around, when `near` was given."
    )
    stale: bool | None = Field(
        None, description="Present (true) while the server is still catching up with changes."
    )


class CellJob(Schema):
    id: int
    title: str
    company: str
    pay: str
    place: str
    url: str
    workplace: str
    remote: bool = Field(..., description="A remote job open to the searched country.")
    distance_km: float | None = None


class CellPage(Schema):
    total: int = Field(..., description="Members of the cluster; its `point_count`.")
    page: int
    pages: int
    per_page: int
    jobs: list[CellJob]
    stale: bool | None = None


def bbox_problem(text: object) -> str:
    """Why ``text`` is not a box, in ``parse_bbox``'s words (for a pattern mismatch)."""
    try:
        parse_bbox(str(text))
    except BBoxError as error:
        return str(error)
    return "bbox must be four comma-separated numbers: west,south,east,north."


def parse_box(text: str) -> BBox:
    try:
        return parse_bbox(text)
    except BBoxError as error:
        raise HttpError(400, str(error)) from None


NUMBER_PARAMS = [
    n for n, f in JobFilterForm.base_fields.items() if isinstance(f, forms.IntegerField)
]
LIST_PARAMS = [
    n for n, f in JobFilterForm.base_fields.items() if isinstance(f, forms.MultipleChoiceField)
]


TEXT_LIMITS = {
    n: f.max_length
    for n, f in JobFilterForm.base_fields.items()
    if isinstance(f, forms.CharField) and f.max_length
}


def parameter_problem(query: QueryDict) -> tuple[str, str] | None:
    """A parameter the schema refuses though the form would take it, with what to say
    about it, or None. The map's fast path asks the same, so both answer alike.

    A page's form sends an empty number or choice for "any"; an API client leaves the
    parameter out, so an empty one here is a mistake (the schema documents numbers and
    codes) and says so. And the form strips a text before it counts its length, where
    the schema's ``maxLength`` counts what was sent.
    """
    if query.keys().isdisjoint(FILTER_PARAMS):
        return None  # every parameter checked below is a filter
    for name in NUMBER_PARAMS:
        if name in query and not str(query.get(name, "")).strip():
            return name, "Give a number, or leave the parameter out."
    for name in LIST_PARAMS:
        if any(not value.strip() for value in query.getlist(name)):
            return name, "Give one of the codes each time, or leave the parameter out."
    for name, limit in TEXT_LIMITS.items():
        if any(len(value) > limit for value in query.getlist(name)):
            return name, f"Keep it to {limit} characters."
    return None


def filters_from(request: HttpRequest) -> JobFilters:
    """The request's filters, validated by the same form as the pages; 400 if bad."""
    problem = parameter_problem(request.GET)
    if problem is not None:
        name, message = problem
        raise APIError(400, errors={name: [message]})
    filters, form = filters_from_query(request.GET)
    if filters is None:
        raise HttpError(400, form.error_text() if form is not None else "Check the filters.")
    return filters


@router.api_operation(
    GET,
    "/jobs",
    response=responses({200: FeatureCollection}, *PUBLIC),
    summary="Job clusters in a viewport",
)
def map_jobs(request: HttpRequest, params: Query[MapParams]) -> HttpResponse:
    """Clusters of the live jobs in the box that match the filters, and single jobs.

    The filters are the list's (`/jobs/`). A box at least 256 px wide and high on screen
    (and at most 48 of the 512 px tiles of `zoom - 1`, zoom 1 or more) is put together from
    those tiles, as the site's map joins them (`/api/v1/map/tiles/{z}/{x}/{y}?size=512`):
    the features are the tiles' whose marker is in the box, markers nearer than 40 px
    across a tile edge folded into one. A cluster then counts whole, so `total` can differ
    a little from the list's count for the box (which counts exactly the jobs inside it)
    and a cluster's `bbox` may reach past the box. A smaller box, or a bigger one, is cut
    exactly by the box: `total` is every matching job in it.

    A single job's properties: `cluster: false`, `id`, `title`, `company`, `pay`, `place`,
    `url`, `workplace`, and `remote` (true when it is a remote job open to applicants
    living in the searched country: `near`'s or `remote_for`).

    A single job also carries its `cell` token (a client folding markers can join it).

    A cluster's properties: `cluster: true`, `point_count`, `bbox` (its members' extent),
    `cell` (a token naming exactly its members: pass it to
    `/api/v1/map/jobs/cell` with the same filters), `same_place` (every member is at one
    spot) and `can_split` (false when zooming in would not separate them: same place, or
    the deepest zoom; list them instead).
    """
    reply = mapanswers.viewport(
        parse_box(params.bbox), params.zoom, request.GET, lambda: filters_from(request)
    )
    return conditional(request, reply)


TileParams = create_model(
    "TileParams",
    __base__=Schema,
    size=(
        int,
        Field(
            256,
            ge=256,
            le=512,
            multiple_of=256,
            description="The tile's size in pixels: 256, or 512 for the same ground "
            "clustered as the map is one zoom closer (a quarter of the requests for a view).",
        ),
    ),
    **filter_fields(JobFilterForm, DESCRIPTIONS),
)


class TileCollection(FeatureCollection):
    tile: list[int] = Field(..., description="`[z, x, y]` of the tile.")
    size: int = Field(..., description="The tile's size in pixels, as asked.")
    total: int = Field(..., description="Matching jobs in the tile; the sum of the counts.")


TILE_MAX = (1 << MAX_ZOOM) - 1


@router.api_operation(
    GET,
    "/tiles/{z}/{x}/{y}",
    response=responses({200: TileCollection}, *PUBLIC, 404),
    summary="Job clusters in one web-map tile",
)
def map_tile(
    request: HttpRequest,
    params: Query[TileParams],
    z: int = Path(..., ge=0, le=MAX_ZOOM, description=f"Map zoom level, 0–{MAX_ZOOM}."),
    x: int = Path(..., ge=0, le=TILE_MAX, description="Column, from 0 at 180°W; below 2^z."),
    y: int = Path(..., ge=0, le=TILE_MAX, description="Row, from 0 at the north; below 2^z."),
) -> HttpResponse:
    """The clusters and single jobs of web-map tile `z/x/y` (the slippy-map scheme),
    clustered as `/api/v1/map/jobs` clusters a viewport at zoom `z` (at `z + 1` for a
    512 px tile), with the same filters. A tile past the edge of the world at its zoom is
    a 404.

    Every job lies in exactly one tile of a zoom, so the totals of the tiles of a view add
    up without counting a job twice. Clusters are folded within a tile, not across its
    edges; at one zoom every tile's `cell` tokens have the same level and box, so a client
    folding two clusters of neighbouring tiles joins their cells (`level:cells.cells:box`)
    into one token for `/api/v1/map/jobs/cell`. A single job carries its `cell` token too.
    Answers carry a strong `ETag` and `Cache-Control: public`, and stay valid until a job
    in the tile changes.
    """
    if not valid_tile(z, x, y):
        raise HttpError(404, f"No tile {z}/{x}/{y}: at zoom {z}, x and y are below {1 << z}.")
    reply = mapanswers.tile(z, x, y, request.GET, lambda: filters_from(request), params.size)
    return conditional(request, reply)


def conditional(request: HttpRequest, reply: mapanswers.Reply) -> HttpResponse:
    """The reply with its ETag and caching headers, or a 304 if the client has it already.

    ``MAP_CACHE_MAX_AGE`` lets a browser, proxy or CDN serve a repeat for that long without
    asking; after it, a conditional request costs a cache look-up and no body.
    """
    if reply.etag is None:
        response = HttpResponse(reply.body, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
    seen = request.headers.get("If-None-Match", "")
    if seen and (seen.strip() == "*" or reply.etag in _etags(seen)):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(reply.body, content_type="application/json")
    response["ETag"] = reply.etag
    response["Cache-Control"] = f"public, max-age={settings.MAP_CACHE_MAX_AGE}"
    return response


def _etags(header: str) -> list[str]:
    """The tags of an If-None-Match header; a weak one matches too (RFC 9110 13.1.2)."""
    return [tag.strip().removeprefix("W/") for tag in header.split(",")]


@router.api_operation(
    GET,
    "/jobs/cell",
    response=responses({200: CellPage}, *PUBLIC),
    summary="The jobs of one cluster",
)
def map_jobs_cell(request: HttpRequest, params: Query[CellParams]) -> dict[str, Any]:
    """Every job a cluster counted, one page at a time: `{total, page, pages, per_page, jobs}`.

    `cell` is the `cell` property of a cluster feature from `/api/v1/map/jobs`; give the
    same filters as that request, and `total` equals the cluster's `point_count`. Jobs are
    ordered by `sort` (newest first by default), 20 a page; each has the single job's
    marker fields, `remote`, and `distance_km` when `near` was given. A page past the
    last gives the last.
    """
    try:
        ref = mapanswers.parse_cell(params.cell)
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    return mapanswers.cell_jobs(ref, filters_from(request), params.page)
