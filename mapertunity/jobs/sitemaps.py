from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Job


class JobSitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self) -> QuerySet[Job]:
        return Job.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, item: Job) -> dt.datetime:
        return item.updated_at


class StaticSitemap(Sitemap):
    changefreq = "hourly"

    def items(self) -> list[str]:
        return ["home", "jobs:list"]

    def location(self, item: str) -> str:
        return reverse(item)
