"""The post page's schema.org BlogPosting JSON-LD."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from .helpers import make_author, make_category, make_post, make_tag

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(text)


def test_a_post_describes_itself_as_a_blog_posting(client: Client) -> None:
    author = make_author(name="Tomas Field")
    post = make_post(
        title="Hiring on a map",
        summary="Look around your site.",
        author=author,
        categories=[make_category("Hiring")],
        tags=[make_tag("Maps")],
    )
    data = json_ld(client.get(post.get_absolute_url()).content.decode())
    url = f"{settings.SITE_URL}{post.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Hiring on a map"
    assert data["description"] == "Look around your site."
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == post.published_at.isoformat()
    assert data["author"] == {
        "@type": "Person",
        "name": "Tomas Field",
        "url": f"{settings.SITE_URL}{author.get_absolute_url()}",
    }
    assert data["publisher"]["name"] == "Mapertunity"
    assert data["articleSection"] == ["Hiring"] and data["keywords"] == ["Maps"]


def test_text_that_looks_like_html_cannot_close_the_script_element(client: Client) -> None:
    post = make_post(
        title="</script><script>alert(1)</script>", summary="Fish & chips <b>", tags=[]
    )
    html = client.get(post.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json_ld(html)
    assert data["headline"] == "</script><script>alert(1)</script>"
    assert data["description"] == "Fish & chips <b>"


def test_a_cover_image_and_an_author_photo_are_shared_with_search_engines_and_apps(
    client: Client,
) -> None:
    author = make_author(name="With Photo", photo=_png("face.png"))
    post = make_post(author=author, cover_image=_png("cover.png"), cover_image_alt="A map")
    html = client.get(post.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["image"] == f"{settings.SITE_URL}{post.cover_image.url}"
    assert data["author"]["image"] == f"{settings.SITE_URL}{author.photo.url}"
    assert (
        f'<meta property="og:image" content="http://127.0.0.1:8000{post.cover_image.url}">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<img src="{post.cover_image.url}" alt="A map">' in html


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
