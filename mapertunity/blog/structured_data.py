"""schema.org BlogPosting for search engines, in the post page's JSON-LD."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString

from mapertunity.core.jsonld import json_ld
from mapertunity.core.links import absolute_url

from .models import Post


def blog_posting(post: Post, request: HttpRequest) -> dict[str, Any]:
    url = absolute_url(post.get_absolute_url())
    author: dict[str, Any] = {
        "@type": "Person",
        "name": post.author.name,
        "url": absolute_url(post.author.get_absolute_url()),
    }
    if post.author.photo:
        author["image"] = absolute_url(post.author.photo.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "author": author,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "logo": {
                "@type": "ImageObject",
                "url": absolute_url(static("img/favicon.svg")),
            },
        },
        "wordCount": len(post.body.split()),
        "timeRequired": f"PT{post.reading_minutes}M",
        "inLanguage": "en",
        "articleSection": [category.name for category in post.categories.all()],
        "keywords": [tag.name for tag in post.tags.all()],
    }
    if post.cover_image:
        data["image"] = absolute_url(post.cover_image.url)
    return data


def blog_posting_json_ld(post: Post, request: HttpRequest) -> SafeString:
    """The BlogPosting as text that is safe inside <script type="application/ld+json">."""
    return json_ld(blog_posting(post, request))
