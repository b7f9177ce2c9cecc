"""Absolute URLs come from SITE_URL: in emails, feeds, sitemaps and structured data alike.

One rule, so a site served on another host or port never mixes the request's host in
one place with the configured one in another. ``make run PORT=…`` sets SITE_URL to match.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import SyndicationFeed

from .xmltext import xml_text


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse`` or a model) on the site's own base URL."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path if path.startswith('/') else '/' + path}"


class SiteSitemap(Sitemap):
    """A sitemap whose locations are on SITE_URL rather than the request's host."""

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: RequestSite | None = None) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).netloc


class SiteFeed(Feed):
    """A feed whose links are on SITE_URL (Django leaves absolute links as they are), and
    whose text is what XML can carry (``core/xmltext.py``)."""

    def item_link(self, item: Any) -> str:
        return absolute_url(item.get_absolute_url())

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed = _xml_safe(feed.feed)
        feed.items = [_xml_safe(item) for item in feed.items]
        return feed


def _xml_safe(fields: dict[str, Any]) -> dict[str, Any]:
    """A feed's or an item's fields, their text and categories made XML-safe."""
    safe = {name: xml_text(v) if isinstance(v, str) else v for name, v in fields.items()}
    if fields.get("categories"):
        safe["categories"] = [xml_text(category) for category in fields["categories"]]
    return safe
