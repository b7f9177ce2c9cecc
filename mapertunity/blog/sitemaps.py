from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse

from mapertunity.core.links import SiteSitemap

from .models import Category, Post


class BlogSitemap(SiteSitemap):
    """The blog's front page, its categories and every published post."""

    changefreq = "weekly"

    def items(self) -> list[Post | Category | str]:
        posts = Post.objects.published().order_by("-published_at", "-pk")
        categories = Category.objects.filter(posts__in=Post.objects.published()).distinct()
        return ["index", *categories, *posts.only("slug", "updated_at", "published_at")]

    def location(self, item: Post | Category | str) -> str:
        if isinstance(item, str):
            return reverse("blog:index")
        return item.get_absolute_url()

    def lastmod(self, item: Post | Category | str) -> dt.datetime | None:
        if isinstance(item, Post):
            return item.updated_at
        posts = Post.objects.published()
        if isinstance(item, Category):
            posts = posts.filter(categories=item)
        return posts.aggregate(latest=Max("updated_at"))["latest"]
