"""The post page's schema.org BlogPosting JSON-LD."""

import json
import re

import pytest
from django.test import Client

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
    url = f"http://testserver{post.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Hiring on a map"
    assert data["description"] == "Look around your site."
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == post.published_at.isoformat()
    assert data["author"] == {
        "@type": "Person",
        "name": "Tomas Field",
        "url": f"http://testserver{author.get_absolute_url()}",
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
