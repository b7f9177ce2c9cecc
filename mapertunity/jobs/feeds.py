from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from mapertunity.core.bbox import BBox, BBoxError, parse_bbox
from mapertunity.core.links import SiteFeed, absolute_url

from .filters import JobFilterForm, JobFilters
from .models import Job

FEED_ITEMS = 50


@dataclass(frozen=True)
class FeedSearch:
    """The /jobs/ filters (and map box) a feed request asked for, validated."""

    filters: JobFilters
    box: BBox | None
    query: str


class LatestJobsFeed(SiteFeed):
    """An Atom feed of the newest published jobs, narrowed by the same filters as /jobs/
    (``?q=nurse&type=full_time&bbox=…``); a bad filter is a 400 saying why."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = JobFilterForm(request.GET)
        error, box = "", None
        if bbox_text := request.GET.get("bbox"):
            try:
                box = parse_bbox(bbox_text)
            except BBoxError as exc:
                error = str(exc)
        if not form.is_valid():
            error = "; ".join(part for part in (error, form.error_text()) if part)
        if error:
            return HttpResponseBadRequest(
                f"Check the search filters: {error}", content_type="text/plain; charset=utf-8"
            )
        query = request.GET.copy()
        query.pop("page", None)
        # Feed instances are shared by every request: the search travels on the request.
        request.job_feed_search = FeedSearch(form.filters(), box, query.urlencode())  # type: ignore[attr-defined]
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedSearch:
        return request.job_feed_search  # type: ignore[attr-defined]

    def title(self, obj: FeedSearch) -> str:
        if obj.filters.q:
            return f"Mapertunity: newest “{obj.filters.q}” jobs"
        if not obj.filters.is_empty or obj.box is not None:
            return "Mapertunity: newest jobs matching your search"
        return "Mapertunity: newest jobs"

    def link(self, obj: FeedSearch) -> str:
        path = reverse("jobs:list")
        return absolute_url(f"{path}?{obj.query}" if obj.query else path)

    def feed_url(self, obj: FeedSearch) -> str:
        path = reverse("jobs:feed")
        return absolute_url(f"{path}?{obj.query}" if obj.query else path)

    subtitle = "Newly posted jobs, each with its pay."

    def items(self, obj: FeedSearch) -> QuerySet[Job]:
        jobs = obj.filters.apply(Job.objects.published())
        if obj.box is not None:
            jobs = jobs.in_bbox(*obj.box)
        return jobs.select_related("company").order_by("-posted_at", "-id")[:FEED_ITEMS]

    def item_title(self, item: Job) -> str:
        return f"{item.title} at {item.company.name}"

    def item_description(self, item: Job) -> str:
        return f"<p>{item.pay} · {item.place_label}</p>{item.description_html}"

    def item_pubdate(self, item: Job) -> dt.datetime | None:
        return item.posted_at

    def item_updateddate(self, item: Job) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Job) -> str:
        return item.company.name
