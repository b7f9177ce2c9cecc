"""GET /api/v1/map/jobs: the clusters and single jobs in a map viewport, as GeoJSON."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.core.choices import PayPeriod
from mapertunity.core.money import format_pay
from mapertunity.geo.index import QueryResult
from mapertunity.jobs.filters import JobFilters, filters_from_query
from mapertunity.jobs.mapindex import job_index, query_jobs
from mapertunity.jobs.models import Job

router = Router(tags=["map"])


class MapParams(Schema):
    bbox: str = Field(
        ...,
        description="west,south,east,north in degrees; west > east crosses the antimeridian.",
        examples=["-125,24,-66,50"],
    )
    zoom: int = Field(..., ge=0, le=22, description="Map zoom level, 0–22.")
    q: str = Field(
        "",
        description="Keywords, all of which must appear in the title, "
        "company or description (stemmed).",
    )
    type: list[str] = Field(
        [],
        description="Employment types (repeatable): full_time, part_time, contract, "
        "temporary, internship.",
    )
    workplace: list[str] = Field([], description="Workplaces (repeatable): onsite, hybrid, remote.")
    salary_min: float | None = Field(
        None,
        ge=0,
        description="Jobs whose pay range reaches this much, in `currency` per `period`.",
    )
    currency: str = Field("USD", description="ISO code of `salary_min`'s currency.")
    period: str = Field("year", description="hour, day, week, month or year.")
    posted_within_days: int | None = Field(
        None, ge=1, le=365, description="Posted in the last N days (whole UTC days)."
    )
    company: str = Field("", description="A company's slug.")
    near: str = Field("", description="A place (city or US ZIP); limits jobs to `radius_km`.")
    radius_km: int | None = Field(None, ge=1, le=500, description="Radius around `near`, km (50).")


class Feature(Schema):
    type: str = "Feature"
    geometry: dict[str, Any]
    properties: dict[str, Any]


class FeatureCollection(Schema):
    type: str = "FeatureCollection"
    total: int = Field(..., description="Matching jobs in the box; the sum of the counts.")
    features: list[Feature]
    near: dict[str, Any] | None = Field(
        None, description="The place and radius searched around, when `near` was given."
    )


def filters_from(request: HttpRequest) -> JobFilters:
    """The request's filters, validated by the same form as the pages; 400 if bad."""
    filters, form = filters_from_query(request.GET)
    if filters is None:
        raise HttpError(400, form.error_text())
    return filters


class _ResponseCache:
    """Serialised answers of this process, for one state of the index.

    Every visitor of the home page asks for the same first view, and shared searches
    repeat; an answer stays valid until the index changes (its version or serial moves),
    or for ``seconds`` at most (a company's new name does not move the index).
    """

    def __init__(self, size: int = 512, seconds: float = 30.0) -> None:
        self.size = size
        self.seconds = seconds
        self.state: tuple[str, int] | None = None
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, state: tuple[str, int], key: str) -> bytes | None:
        with self.lock:
            if state != self.state:
                self.state, self.entries = state, OrderedDict()
                return None
            found = self.entries.get(key)
            if found is None or time.monotonic() - found[0] > self.seconds:
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, state: tuple[str, int], key: str, body: bytes) -> None:
        with self.lock:
            if state == self.state:
                self.entries[key] = (time.monotonic(), body)
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)


_cache = _ResponseCache()


def _single_properties(ids: list[int]) -> dict[int, dict[str, Any]]:
    """What a single job's marker shows, read in one query without building model objects."""
    prefix = reverse("jobs:list")
    rows = Job.objects.filter(pk__in=ids).values_list(
        "id",
        "title",
        "slug",
        "company__name",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_period",
        "city",
        "region",
        "country",
    )
    periods = dict(PayPeriod.choices)
    return {
        job_id: {
            "cluster": False,
            "id": job_id,
            "title": title,
            "company": company,
            "pay": format_pay(low, high, currency, periods.get(period, period)),
            "place": ", ".join(part for part in (city, region, country) if part),
            "url": f"{prefix}{job_id}/{slug}/",
        }
        for job_id, title, slug, company, low, high, currency, period, city, region, country in rows
    }


class _Singles:
    """Single jobs' marker properties, kept while the index is unchanged: panning shows
    mostly the jobs it just showed."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self.state: tuple[str, int] | None = None
        self.props: dict[int, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def get(self, state: tuple[str, int], ids: list[int]) -> dict[int, dict[str, Any]]:
        with self.lock:
            if state != self.state or len(self.props) > self.size:
                self.state, self.props = state, {}
            known = {i: self.props[i] for i in ids if i in self.props}
        missing = [i for i in ids if i not in known]
        if missing:
            fetched = _single_properties(missing)
            known.update(fetched)
            with self.lock:
                if state == self.state:
                    self.props.update(fetched)
        return known


_singles = _Singles()


def _features(result: QueryResult, state: tuple[str, int]) -> list[dict[str, Any]]:
    """GeoJSON features of the clusters and single jobs, built from the result's columns."""
    arrays = result.arrays
    if arrays is None:
        groups = result.groups
        arrays = {
            "count": np.array([g.count for g in groups], dtype=np.int64),
            "lat": np.array([g.lat for g in groups]),
            "lng": np.array([g.lng for g in groups]),
            "id": np.array([-1 if g.id is None else g.id for g in groups], dtype=np.int64),
            **{
                side: np.array([g.bbox[i] for g in groups])
                for i, side in enumerate(("west", "south", "east", "north"))
            },
        }
    if not len(arrays["count"]):
        return []
    counts = arrays["count"].tolist()
    ids = arrays["id"].tolist()
    single_ids = [i for c, i in zip(counts, ids, strict=True) if c == 1 and i >= 0]
    jobs = _singles.get(state, single_ids) if single_ids else {}
    # Rounded in one go: per-value round() calls cost more than the query at 300 groups.
    points = np.round(np.column_stack((arrays["lng"], arrays["lat"])), 6).tolist()
    sides = [arrays[side] for side in ("west", "south", "east", "north")]
    boxes = np.round(np.column_stack(sides), 6).tolist()
    features = []
    for count, job_id, point, box in zip(counts, ids, points, boxes, strict=True):
        if count == 1 and job_id in jobs:
            properties = jobs[job_id]
        else:
            properties = {"cluster": True, "point_count": count, "bbox": box}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": properties,
            }
        )
    return features


@router.get("/jobs", response=FeatureCollection, summary="Job clusters in a viewport")
def map_jobs(request: HttpRequest, params: Query[MapParams]) -> HttpResponse:
    """Clusters of the live jobs in the box that match the filters, and single jobs.

    The filters are the list's (`/jobs/`), so the list and the map count the same jobs.
    """
    try:
        west, south, east, north = parse_bbox(params.bbox)
    except BBoxError as error:
        raise HttpError(400, str(error)) from None
    filters = filters_from(request)
    view = job_index()
    state = (view.version, view.serial)
    key = "&".join(sorted(f"{k}={v}" for k in request.GET for v in request.GET.getlist(k)))
    if (body := _cache.get(state, key)) is not None:
        return HttpResponse(body, content_type="application/json")
    result = query_jobs(west, south, east, north, params.zoom, filters)
    features = _features(result, state)
    body: dict[str, Any] = {
        "type": "FeatureCollection",
        "total": result.total,
        "features": features,
    }
    if filters.near is not None:
        body["near"] = {
            "lat": filters.near.lat,
            "lng": filters.near.lng,
            "radius_km": filters.near.km,
            "label": filters.near_label,
        }
    # Serialised here rather than by the response schema (which documents it): validating
    # hundreds of features per request would cost more than the query.
    content = json.dumps(body, separators=(",", ":")).encode()
    _cache.put(state, key, content)
    return HttpResponse(content, content_type="application/json")
