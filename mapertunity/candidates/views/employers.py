"""The candidate map and list, for employers with a confirmed email address."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.companies.access import is_employer, is_verified_employer
from mapertunity.core.bbox import BBoxError, parse_bbox

from ..models import CandidateProfile, CandidateQuerySet
from ..search import CandidateSearchForm, search_candidates

CANDIDATES_PER_PAGE = 20


def verified_employer_required(view: Any) -> Any:
    """Signed-in employers with a confirmed address only; others get a 403 that says why."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_verified_employer(request.user):
            context = {"is_employer": is_employer(request.user)}
            return render(request, "candidates/employers_only.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@verified_employer_required
def candidate_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CandidateSearchForm(request.GET or None, employer=request.user)
    context = {
        "form": form,
        "map": {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        **_results(request, form),
    }
    return render(request, "candidates/candidate_map.html", context)


@require_safe
@verified_employer_required
def candidate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CandidateSearchForm(request.GET, employer=request.user)
    results = _results(request, form)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "query": query.urlencode(), **results}
    template = (
        "candidates/_candidate_list.html" if request.htmx else "candidates/candidate_list.html"
    )
    status = 400 if form.errors or results["bbox_error"] else 200
    return render(request, template, context, status=status)


def _results(request: HttpRequest, form: CandidateSearchForm) -> dict[str, Any]:
    """One page of the candidates in view who match the form, with any bbox error."""
    candidates: CandidateQuerySet = CandidateProfile.objects.on_candidate_map()
    bbox_error = ""
    if bbox_text := request.GET.get("bbox"):
        try:
            box = parse_bbox(bbox_text)
        except BBoxError as error:
            bbox_error = str(error)
        else:
            candidates = CandidateProfile.objects.on_candidate_map().in_bbox(*box)
    if form.is_bound and form.is_valid():
        candidates = search_candidates(form.cleaned_data, candidates)
    elif form.is_bound:
        candidates = candidates.none()
    candidates = (
        candidates.select_related("user").prefetch_related("skills").order_by("-updated_at", "pk")
    )
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "bbox_error": bbox_error, "in_view": bool(bbox_text) and not bbox_error}
