"""RSS and Atom feeds of the blog: every post, or one category's."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from mapertunity.core.links import SiteFeed, absolute_url

from .models import Category, Post

FEED_LENGTH = 30


class LatestPostsFeed(SiteFeed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Category | None:
        return get_object_or_404(Category, slug=slug) if slug else None

    def title(self, obj: Category | None) -> str:
        return f"Mapertunity blog: {obj.name}" if obj else "Mapertunity blog"

    def link(self, obj: Category | None) -> str:
        return absolute_url(obj.get_absolute_url() if obj else reverse("blog:index"))

    def description(self, obj: Category | None) -> str:
        if obj and obj.description:
            return obj.description
        return "Finding work and hiring well: guides from the Mapertunity team."

    subtitle = description

    def feed_url(self, obj: Category | None) -> str:
        name = "rss" if self.feed_type is Rss201rev2Feed else "atom"
        if obj:
            return absolute_url(reverse(f"blog:category_feed_{name}", kwargs={"slug": obj.slug}))
        return absolute_url(reverse(f"blog:feed_{name}"))

    def items(self, obj: Category | None) -> QuerySet[Post]:
        posts = Post.objects.published()
        if obj:
            posts = posts.filter(categories=obj)
        return (
            posts.select_related("author")
            .prefetch_related("categories", "tags")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_pubdate(self, item: Post) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return item.author.name

    def item_categories(self, item: Post) -> list[str]:
        return [c.name for c in item.categories.all()] + [t.name for t in item.tags.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
