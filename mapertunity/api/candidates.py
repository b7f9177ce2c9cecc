"""GET /api/v1/map/candidates: k-anonymous clusters of candidates, for verified employers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from mapertunity.candidates.mapindex import query_candidates
from mapertunity.candidates.models import CandidateProfile
from mapertunity.candidates.search import CandidateSearchForm, search_candidates
from mapertunity.companies.access import is_verified_employer

from .errors import PUBLIC, responses
from .map import BBOX, GET, ZOOM, FeatureCollection, filter_fields, parse_box

router = Router(tags=["map"])


DESCRIPTIONS = {
    "skills": "Comma-separated skills; all must match.",
    "q": "Keywords in the resume, headline or summary.",
    "min_years": "At least this many years of experience.",
    "max_pay": "Your budget; needs `currency` and `period`.",
    "currency": "ISO code of `max_pay`'s currency.",
    "period": "Period of `max_pay`",
    "workplace": "Workplace the candidate wants",
    "job": "The id of one of your jobs: candidates who'd commute there.",
}
CandidateMapParams = create_model(
    "CandidateMapParams",
    __base__=Schema,
    bbox=(str, BBOX),
    zoom=(int, ZOOM),
    **filter_fields(CandidateSearchForm, DESCRIPTIONS),
)


def require_verified_employer(request: HttpRequest) -> None:
    user = request.user
    if not user.is_authenticated:
        raise HttpError(403, "Sign in as an employer to search candidates.")
    if not is_verified_employer(user):
        raise HttpError(403, "Only employers with a confirmed email address can search candidates.")


@router.api_operation(
    GET,
    "/candidates",
    response=responses({200: FeatureCollection}, 403, *PUBLIC),
    summary="Candidate clusters in a viewport",
)
def map_candidates(request: HttpRequest, params: Query[CandidateMapParams]) -> dict[str, Any]:
    """Clusters only: a group of fewer than five people is merged into a wider area, and
    positions are candidates' public points (a city or ~2 km cell), never homes."""
    require_verified_employer(request)
    west, south, east, north = parse_box(params.bbox)
    filters = QueryDict(mutable=True)
    for name, value in params.dict(exclude={"bbox", "zoom"}).items():
        if value not in (None, ""):
            filters[name] = str(value)
    ids = None
    if filters:
        form = CandidateSearchForm(filters, employer=request.user)  # type: ignore[arg-type]
        if not form.is_valid():
            raise HttpError(400, form.error_text())
        base = CandidateProfile.objects.on_candidate_map()
        ids = list(search_candidates(form.cleaned_data, base).values_list("pk", flat=True))
    result = query_candidates(west, south, east, north, params.zoom, ids)
    features = [
        {
            "geometry": {"type": "Point", "coordinates": [round(g.lng, 4), round(g.lat, 4)]},
            "properties": {
                "cluster": True,
                "point_count": g.count,
                "bbox": [round(v, 4) for v in g.bbox],
            },
        }
        for g in result.groups
    ]
    return {"total": result.total, "features": features}
