from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse

from mapertunity.core.links import SiteSitemap

from .models import Job


class JobSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self) -> QuerySet[Job]:
        return Job.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, item: Job) -> dt.datetime:
        return item.updated_at


class StaticSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self) -> list[str]:
        return ["home", "jobs:list"]

    def location(self, item: str) -> str:
        return reverse(item)
