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
    """A feed whose links are on SITE_URL (Django leaves absolute links as they are)."""

    def item_link(self, item: Any) -> str:
        return absolute_url(item.get_absolute_url())
