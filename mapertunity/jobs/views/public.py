"""Pages anyone can see: the map, the list of jobs, a job."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from mapertunity.companies.models import Company

from ..bbox import BBoxError, parse_bbox
from ..models import Job
from ..structured_data import job_posting_json_ld

JOBS_PER_PAGE = 20


def _map_settings() -> dict[str, str]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The map, with the newest jobs listed beside it until the map reports its view."""
    jobs = Job.objects.published().select_related("company")
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(1)
    return render(request, "jobs/home.html", {"page": page, "map": _map_settings()})


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Published jobs, newest first, optionally limited to a map box or a company.

    The map asks for this page's fragment (htmx) with the box in view; without
    JavaScript it is a plain paginated list.
    """
    jobs = Job.objects.published().select_related("company")
    error = ""
    company = None
    if bbox_text := request.GET.get("bbox"):
        try:
            jobs = jobs.in_bbox(*parse_bbox(bbox_text))
        except BBoxError as exc:
            error = str(exc)
    if slug := request.GET.get("company"):
        company = Company.objects.filter(slug=slug).first()
        jobs = jobs.filter(company=company) if company else jobs.none()
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "error": error,
        "company": company,
        "query": query.urlencode(),
        "in_view": bool(bbox_text) and not error,
    }
    template = "jobs/_job_list.html" if request.htmx else "jobs/job_list.html"
    return render(request, template, context, status=400 if error else 200)


@require_GET
def job_detail(request: HttpRequest, job_id: int, slug: str = "") -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("company"), pk=job_id)
    is_owner = Job.objects.for_employer(request.user).filter(pk=job.pk).exists()
    if job.is_gone and not is_owner:
        context = {"job": job, "nearby": _open_jobs_near(job)}
        return render(request, "jobs/job_gone.html", context, status=410)
    if not job.is_live and not is_owner:
        raise Http404("No such job.")
    if slug != job.slug:
        return redirect(job, permanent=True)
    context = {
        "job": job,
        "is_owner": is_owner,
        "json_ld": job_posting_json_ld(job, request) if job.is_live else None,
        "map": _map_settings(),
    }
    return render(request, "jobs/job_detail.html", context)


def _open_jobs_near(job: Job, limit: int = 6) -> list[Job]:
    """Live jobs closest to a closed one, searched in widening boxes."""
    for degrees in (1, 5, 20, 180):
        candidates = list(
            Job.objects.published()
            .exclude(pk=job.pk)
            .in_bbox(
                max(job.lng - degrees, -180),
                max(job.lat - degrees, -90),
                min(job.lng + degrees, 180),
                min(job.lat + degrees, 90),
            )
            .select_related("company")[:200]
        )
        if len(candidates) >= limit or degrees == 180:
            break
    return sorted(candidates, key=lambda other: _distance_km(job, other))[:limit]


def _distance_km(a: Job, b: Job) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))
