"""GET /api/v1/map/jobs: the clusters and single jobs in a map viewport, as GeoJSON."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from mapertunity.jobs.bbox import BBoxError, parse_bbox
from mapertunity.jobs.filters import JobFilterForm, JobFilters
from mapertunity.jobs.mapindex import query_jobs
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
    form = JobFilterForm(request.GET)
    if not form.is_valid():
        raise HttpError(400, form.error_text())
    return form.filters()


def _job_properties(job: Job) -> dict[str, Any]:
    return {
        "cluster": False,
        "id": job.pk,
        "title": job.title,
        "company": job.company.name,
        "pay": job.pay,
        "place": job.place_label,
        "url": job.get_absolute_url(),
    }


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
    result = query_jobs(west, south, east, north, params.zoom, filters)
    single_ids = [group.id for group in result.groups if group.count == 1]
    jobs = Job.objects.select_related("company").in_bulk(single_ids) if single_ids else {}
    features = []
    for group in result.groups:
        geometry = {"type": "Point", "coordinates": [round(group.lng, 6), round(group.lat, 6)]}
        if group.count == 1 and group.id in jobs:
            properties = _job_properties(jobs[group.id])
        else:
            properties = {
                "cluster": True,
                "point_count": group.count,
                "bbox": [round(v, 6) for v in group.bbox],
            }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
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
    return HttpResponse(json.dumps(body, separators=(",", ":")), content_type="application/json")
