"""Pages anyone can see: the map, the list of jobs, a job."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from mapertunity.accounts.http import HtmxHttpRequest
from mapertunity.companies.models import Company
from mapertunity.core.bbox import BBox, BBoxError, parse_bbox
from mapertunity.geo.distance import haversine_km
from mapertunity.geo.gazetteer import countries, country_name, get_gazetteer

from ..filters import JobFilterForm, JobFilters
from ..listing import WORLD, ordered_jobs
from ..models import Job
from ..similarity import words
from ..structured_data import job_posting_json_ld
from ..suggestions import spelling_suggestion

JOBS_PER_PAGE = 20

# The first place search must not wait for the gazetteer to load: load it now, beside
# whatever the process does first (this module is imported with the URLconf).
threading.Thread(target=get_gazetteer().load, name="gazetteer-warmup", daemon=True).start()


def _map_settings() -> dict[str, str]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _jobs_page(
    request: HttpRequest, filters: JobFilters, box: BBox | None
) -> tuple[Page, int, bool]:
    """One page of the matching live jobs, sorted as asked (see :mod:`..listing`), how
    many match, and whether that count is exact.

    The count comes from the map index, the same number the map shows for these filters
    (tests hold it equal to SQL's); the rows come from SQL, which orders them. The pages
    stop at ``JOB_LIST_MAX_RESULTS`` jobs.
    """
    jobs = Job.objects.published().select_related("company")
    if box is not None:
        jobs = jobs.in_bbox(*box)
    listed = ordered_jobs(filters, jobs, box or WORLD)
    page = Paginator(listed, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return page, listed.total if listed.exact else listed.count(), listed.exact


def _list_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """What the list shows for the request's filters and box, and the status to use."""
    form = JobFilterForm(request.GET)
    error = ""
    box = None
    if bbox_text := request.GET.get("bbox"):
        try:
            box = parse_bbox(bbox_text)
        except BBoxError as exc:
            error = str(exc)
    filters = form.filters() if form.is_valid() else None
    if filters is None and not error:
        error = "Check the search filters: " + "; ".join(
            str(message) for errors in form.errors.values() for message in errors
        )
    total, exact = 0, True
    if error or filters is None:
        page = Paginator(Job.objects.none(), JOBS_PER_PAGE).get_page(1)
    else:
        page, total, exact = _jobs_page(request, filters, box)
    query = request.GET.copy()
    query.pop("page", None)
    company = None
    if filters is not None and filters.company_id is not None:
        company = Company.objects.filter(pk=filters.company_id).first()
    home = _candidate_home(request)
    for job in page.object_list:
        job.remote_country_names = [country_name(c) or c for c in job.remote_countries]
        job.home_km = haversine_km(home["lat"], home["lng"], job.lat, job.lng) if home else None
    context = {
        "page": page,
        "total": total,
        "total_exact": exact,
        "error": error,
        "form": form,
        "filters": filters,
        "company": company,
        "query": query.urlencode(),
        "in_view": box is not None and not error,
        "filtered": filters is not None and not filters.is_empty,
        "did_you_mean": _did_you_mean(request, filters, page),
        "remote_choices": countries(),
        "remote_for": request.GET.get("remote_for", "").upper(),
        "home": home,
    }
    return context, 400 if error else 200


def _did_you_mean(request: HttpRequest, filters: JobFilters | None, page: Page) -> Any:
    """A respelt keyword search when this one found nothing, with its query string."""
    if filters is None or not filters.q or page.paginator.count:
        return None
    better = spelling_suggestion(filters.q)
    if not better:
        return None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("bbox", None)
    query["q"] = better
    return {"q": better, "query": query.urlencode()}


def _candidate_home(request: HttpRequest) -> dict[str, Any] | None:
    """A signed-in candidate's public point (never the exact home), to centre the map on
    and measure distances from."""
    if not request.user.is_authenticated:
        return None
    profile = getattr(request.user, "candidate", None)
    if profile is None or profile.public_lat is None or profile.public_lng is None:
        return None
    return {
        "lat": profile.public_lat,
        "lng": profile.public_lng,
        "label": profile.public_label or "your area",
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The map and its filter bar, with the newest matching jobs listed beside it until
    the map reports its view. Filters are in the URL, so a search can be shared."""
    context, status = _list_context(request)
    context["map"] = _map_settings()
    return render(request, "jobs/home.html", context, status=status)


@require_safe
def job_list(request: HtmxHttpRequest) -> HttpResponse:
    """Live jobs matching the filters, optionally limited to a map box.

    The map asks for this page's fragment (htmx) with the box in view; without
    JavaScript it is a plain paginated list with the same filters.
    """
    context, status = _list_context(request)
    template = "jobs/_job_list.html" if request.htmx else "jobs/job_list.html"
    return render(request, template, context, status=status)


@require_safe
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
        "remote_country_names": [country_name(c) or c for c in job.remote_countries],
    }
    return render(request, "jobs/job_detail.html", context)


def _open_jobs_near(job: Job, limit: int = 6) -> list[Job]:
    """Live jobs closest to a gone one, searched in widening boxes; those that share a
    word of its title come first, so a gone cook's page offers other kitchens."""
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
    title = set(words(job.title)) - _FILLER

    def rank(other: Job) -> tuple[bool, float]:
        similar = bool(title & set(words(other.title)))
        return (not similar, haversine_km(job.lat, job.lng, other.lat, other.lng))

    return sorted(candidates, key=rank)[:limit]


_FILLER = {"and", "of", "the", "a", "in", "for", "to", "at", "with", "senior", "junior", "lead"}
