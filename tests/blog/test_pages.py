"""The blog index, a post, and the category, tag and author pages."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.blog.models import Author, AuthorLink, Post

from .helpers import make_author, make_category, make_post, make_tag

pytestmark = pytest.mark.django_db


def test_the_index_lists_published_posts_newest_first(client: Client) -> None:
    now = timezone.now()
    make_post(title="Older post", published_at=now - dt.timedelta(days=3))
    make_post(title="Newer post", published_at=now - dt.timedelta(days=1))
    html = client.get("/blog/").content.decode()
    assert html.index("Newer post") < html.index("Older post")
    assert "min read" in html


def test_the_index_is_paginated_ten_to_a_page(client: Client) -> None:
    now = timezone.now()
    for n in range(12):
        make_post(title=f"Numbered {n:02d}", published_at=now - dt.timedelta(hours=n + 1))
    first = client.get("/blog/").content.decode()
    second = client.get("/blog/?page=2").content.decode()
    assert "Numbered 00" in first and "Numbered 09" in first and "Numbered 10" not in first
    assert "Numbered 10" in second and "Numbered 11" in second
    assert 'rel="next" href="?page=2"' in first and "Page 1 of 2" in first


def test_an_empty_blog_says_so_and_still_offers_to_subscribe(client: Client) -> None:
    html = client.get("/blog/").content.decode()
    assert "No posts here yet." in html
    assert "Subscribe to our blog" in html


def test_drafts_and_scheduled_posts_are_invisible_to_the_public(
    client: Client, outsider: User
) -> None:
    draft = make_post(title="Secret draft", status=Post.Status.DRAFT)
    scheduled = make_post(
        title="Secret scheduled",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    category = make_category("Guides")
    draft.categories.add(category)
    for viewer in (None, outsider):
        if viewer:
            client.force_login(viewer)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        for page in ("/blog/", category.get_absolute_url(), draft.author.get_absolute_url()):
            assert "Secret" not in client.get(page).content.decode()


def test_staff_see_a_draft_as_a_preview_that_search_engines_skip(
    client: Client, staff: User
) -> None:
    draft = make_post(title="Work in progress", status=Post.Status.DRAFT)
    client.force_login(staff)
    response = client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview." in html and "Work in progress" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "application/ld+json" not in html


def test_a_post_page_has_the_body_author_box_and_both_calls_to_action(client: Client) -> None:
    author = make_author(name="Ines Field", mission="Helps people follow up.", bio="Ex-adviser.")
    AuthorLink.objects.create(author=author, label="Website", url="https://ines.example.com")
    post = make_post(author=author, body="## First step\n\nSay **thanks**.")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<h2>First step</h2>" in html and "<strong>thanks</strong>" in html
    assert "Written by" in html and "Helps people follow up." in html and "Ex-adviser." in html
    assert 'href="https://ines.example.com"' in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert "Looking for work?" in html and 'href="/signup/"' in html
    assert "Your first job posting is free." in html and 'href="/employers/start/"' in html


def test_a_post_page_shows_posts_on_its_topics_then_the_other_recent_ones(
    client: Client,
) -> None:
    maps, guides = make_tag("Maps"), make_category("Guides")
    now = timezone.now()
    post = make_post(title="The post", tags=[maps], categories=[guides])
    same_tag = make_post(title="Shares a tag", tags=[maps], published_at=now - dt.timedelta(days=9))
    same_category = make_post(
        title="Shares the category", categories=[guides], published_at=now - dt.timedelta(days=2)
    )
    recent = make_post(title="Newest, unrelated", published_at=now - dt.timedelta(hours=1))
    make_post(title="Hidden draft", tags=[maps], status=Post.Status.DRAFT)
    html = client.get(post.get_absolute_url()).content.decode()
    more = html[html.index("More reading and related topics") : html.index("Recent posts")]
    latest = html[html.index("Recent posts") :]
    assert more.index(same_tag.title) < more.index(same_category.title)
    assert recent.title not in more
    assert 'href="/blog/tag/maps/"' in more and 'href="/blog/category/guides/"' in more
    assert recent.title in latest and same_tag.title not in latest
    assert "Hidden draft" not in html


def test_markdown_in_a_post_cannot_run_script(client: Client) -> None:
    body = (
        "<script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n'
        "[click](javascript:alert(2))\n\n"
        '<a href="https://ok.example.com" onclick="alert(3)">ok</a>'
    )
    post = make_post(body=body, title="</title><script>alert(4)</script>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:alert" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(4)" in html


def test_open_graph_tags_describe_the_post(client: Client) -> None:
    post = make_post(title="Pay on every job", summary="Why we show it.", tags=[make_tag("Pay")])
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Pay on every job">' in html
    assert '<meta property="og:description" content="Why we show it.">' in html
    assert f'content="http://127.0.0.1:8000{post.get_absolute_url()}"' in html
    assert '<meta property="article:tag" content="Pay">' in html
    assert re.search(r'<meta property="article:published_time" content="\d{4}-', html)


def test_a_category_page_lists_its_posts_and_links_its_feeds(client: Client) -> None:
    guides = make_category("Guides")
    make_post(title="In the category", categories=[guides])
    make_post(title="Elsewhere")
    html = client.get("/blog/category/guides/").content.decode()
    assert "In the category" in html and "Elsewhere" not in html
    assert 'href="/blog/category/guides/feed/rss/"' in html
    assert 'href="/blog/category/guides/feed/atom/"' in html


def test_an_empty_category_shows_an_empty_state(client: Client) -> None:
    make_category("Quiet")
    html = client.get("/blog/category/quiet/").content.decode()
    assert "No posts here yet." in html and "See all posts" in html


def test_a_tag_page_lists_its_posts(client: Client) -> None:
    make_post(title="Tagged", tags=[make_tag("Commute")])
    make_post(title="Not tagged")
    html = client.get("/blog/tag/commute/").content.decode()
    assert "Tagged" in html and "Not tagged" not in html


def test_an_author_page_introduces_the_author_and_lists_their_posts(client: Client) -> None:
    author: Author = make_author(name="Tomas Field", mission="Local hiring, done well.")
    make_post(title="His post", author=author)
    make_post(title="Someone else's")
    html = client.get(author.get_absolute_url()).content.decode()
    assert "<h1>Tomas Field</h1>" in html and "Local hiring, done well." in html
    assert "His post" in html and "Someone else" not in html


def test_unknown_topics_and_posts_are_404(client: Client) -> None:
    for url in ("/blog/nope/", "/blog/category/nope/", "/blog/tag/nope/", "/blog/author/nope/"):
        assert client.get(url).status_code == 404


def test_every_blog_page_has_the_subscribe_form_and_the_header_links_the_blog(
    client: Client,
) -> None:
    post = make_post(categories=[make_category("Guides")], tags=[make_tag("Maps")])
    for url in (
        "/blog/",
        post.get_absolute_url(),
        "/blog/category/guides/",
        "/blog/tag/maps/",
        post.author.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert 'action="/blog/subscribe/"' in html, url
        assert '<a href="/blog/">Blog</a>' in html, url
