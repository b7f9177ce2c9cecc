"""RSS and Atom feeds of all posts and of one category, and the sitemap."""

import datetime as dt

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.blog.models import Post

from .helpers import make_author, make_category, make_post, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts() -> dict[str, Post]:
    guides = make_category("Guides")
    author = make_author(name="Ines & Co <writers>")
    now = timezone.now()
    return {
        "older": make_post(
            title="Older guide",
            categories=[guides],
            author=author,
            published_at=now - dt.timedelta(days=3),
        ),
        "newer": make_post(
            title="Newer <b>post</b> & more",
            body="Text with <script>alert(1)</script> and **bold**.",
            tags=[make_tag("Maps")],
            author=author,
            published_at=now - dt.timedelta(days=1),
        ),
        "draft": make_post(title="Draft not in feeds", status=Post.Status.DRAFT),
    }


@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/blog/feed/rss/", "rss20", "application/rss+xml"),
        ("/blog/feed/atom/", "atom10", "application/atom+xml"),
    ],
)
def test_the_feeds_are_valid_and_list_published_posts_newest_first(
    client: Client, posts: dict[str, Post], url: str, version: str, content_type: str
) -> None:
    response = client.get(url)
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "Mapertunity blog"
    assert [entry.title for entry in feed.entries] == ["Newer <b>post</b> & more", "Older guide"]
    newest = feed.entries[0]
    assert newest.link.endswith(posts["newer"].get_absolute_url())
    assert newest.author.startswith("Ines & Co")
    assert [tag.term for tag in newest.tags] == ["Maps"]
    assert "<strong>bold</strong>" in newest.summary and "<script" not in newest.summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_category_feed_is_valid_and_holds_only_that_category(
    client: Client, posts: dict[str, Post], kind: str
) -> None:
    feed = feedparser.parse(client.get(f"/blog/category/guides/feed/{kind}/").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Mapertunity blog: Guides"
    assert [entry.title for entry in feed.entries] == ["Older guide"]


def test_an_empty_feed_is_still_valid(client: Client) -> None:
    for url in ("/blog/feed/rss/", "/blog/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo and feed.entries == []


def test_an_unknown_category_feed_is_404(client: Client) -> None:
    assert client.get("/blog/category/nope/feed/rss/").status_code == 404


def test_blog_pages_point_feed_readers_at_the_feeds(client: Client) -> None:
    html = client.get("/blog/").content.decode()
    assert (
        'type="application/rss+xml" title="Mapertunity blog (RSS)" href="/blog/feed/rss/"' in html
    )
    assert 'type="application/atom+xml" title="Mapertunity blog (Atom)"' in html


def test_the_sitemap_lists_the_blog_its_topics_and_published_posts(
    client: Client, posts: dict[str, Post]
) -> None:
    xml = client.get("/sitemap.xml").content.decode()
    assert "/blog/</loc>" in xml
    assert "/blog/category/guides/</loc>" in xml
    assert f"{posts['newer'].get_absolute_url()}</loc>" in xml
    assert posts["draft"].get_absolute_url() not in xml
    assert f"<lastmod>{posts['newer'].updated_at.date().isoformat()}" in xml
