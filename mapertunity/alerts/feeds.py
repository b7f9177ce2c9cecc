"""An alert's Atom feed at a secret address: the newest live jobs it matches.

The token is the only key (feed readers can't sign in); a wrong or revoked one is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from mapertunity.core.links import SiteFeed, absolute_url
from mapertunity.jobs.models import Job

from .emails import search_url
from .matching import matching_jobs
from .models import Alert

FEED_ITEMS = 50


class AlertFeed(SiteFeed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, request: HttpRequest, token: str) -> Alert:
        alert = Alert.objects.select_related("user").filter(feed_token=token).first()
        if alert is None or not token or not alert.user.is_active:
            raise Http404("No such feed.")
        return alert

    def title(self, obj: Alert) -> str:
        return f"Mapertunity: jobs for “{obj.name}”"

    def subtitle(self, obj: Alert) -> str:
        return "Live jobs matching your saved search, newest first."

    def link(self, obj: Alert) -> str:
        return search_url(obj)

    def feed_url(self, obj: Alert) -> str:
        return absolute_url(reverse("alerts:feed", args=[obj.feed_token]))

    def items(self, obj: Alert) -> list[Job]:
        return matching_jobs(obj, limit=FEED_ITEMS)

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
