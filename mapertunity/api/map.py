"""GET /api/v1/map/jobs: the clusters and single jobs in a map viewport, as GeoJSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from mapertunity.jobs.bbox import BBoxError, parse_bbox
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


class Feature(Schema):
    type: str = "Feature"
    geometry: dict[str, Any]
    properties: dict[str, Any]


class FeatureCollection(Schema):
    type: str = "FeatureCollection"
    total: int = Field(..., description="Published jobs in the box; the sum of the counts.")
    features: list[Feature]


@router.get("/jobs", response=FeatureCollection, summary="Job clusters in a viewport")
def map_jobs(request: HttpRequest, params: Query[MapParams]) -> dict[str, Any]:
    try:
        west, south, east, north = parse_bbox(params.bbox)
    except BBoxError as error:
        raise HttpError(400, str(error)) from None
    result = query_jobs(west, south, east, north, params.zoom)
    single_ids = [group.id for group in result.groups if group.count == 1]
    jobs = Job.objects.select_related("company").in_bulk(single_ids)
    features = []
    for group in result.groups:
        geometry = {"type": "Point", "coordinates": [round(group.lng, 6), round(group.lat, 6)]}
        if group.count == 1 and group.id in jobs:
            job = jobs[group.id]
            properties = {
                "cluster": False,
                "id": job.pk,
                "title": job.title,
                "company": job.company.name,
                "pay": job.pay,
                "place": job.place_label,
                "url": job.get_absolute_url(),
            }
        else:
            properties = {
                "cluster": True,
                "point_count": group.count,
                "bbox": [round(v, 6) for v in group.bbox],
            }
        features.append({"geometry": geometry, "properties": properties})
    return {"total": result.total, "features": features}
