from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from mapertunity.core.links import SiteFeed, absolute_url

from .models import Job


class LatestJobsFeed(SiteFeed):
    """An Atom feed of the newest published jobs."""

    feed_type = Atom1Feed
    title = "Mapertunity: newest jobs"

    def link(self) -> str:
        return absolute_url(reverse("jobs:list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("jobs:feed"))

    subtitle = "Newly posted jobs, each with its pay."

    def items(self) -> QuerySet[Job]:
        return Job.objects.published().select_related("company").order_by("-posted_at")[:50]

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
