"""The demo blog that seed_demo loads."""

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.blog.models import Author, Post
from mapertunity.demo.blog import load_blog_demo
from mapertunity.demo.jobs.load import ADMIN_EMAIL

pytestmark = pytest.mark.django_db


def test_it_adds_two_authors_and_at_least_six_published_posts() -> None:
    admin = User.objects.create_superuser(ADMIN_EMAIL, "pw")
    summary = load_blog_demo()
    assert summary.authors == 2
    assert Post.objects.published().count() >= 6
    assert Author.objects.get(user=admin).name == "Inès Okafor"
    titles = " ".join(Post.objects.values_list("title", flat=True)).lower()
    assert "after the interview" in titles
    assert "how employers find candidates on a map" in titles


def test_the_interview_guide_covers_thank_you_notes_and_a_timed_follow_up() -> None:
    load_blog_demo()
    body = Post.objects.get(slug="following-up-after-a-job-interview").body.lower()
    assert "thank-you note to each interviewer" in body
    assert "follow-up" in body and "within 24 hours" in body


def test_one_demo_post_waits_scheduled_and_none_was_emailed() -> None:
    load_blog_demo()
    assert Post.objects.filter(status=Post.Status.SCHEDULED).count() == 1
    assert not Post.objects.filter(delivery_requested_at__isnull=False).exists()


def test_every_demo_post_has_topics_and_renders(client: Client) -> None:
    load_blog_demo()
    for post in Post.objects.published():
        assert post.categories.exists() and post.tags.exists(), post
        assert post.reading_minutes >= 2, post
        assert client.get(post.get_absolute_url()).status_code == 200


def test_loading_it_again_changes_nothing_and_keeps_edits() -> None:
    load_blog_demo()
    Post.objects.filter(slug="reading-a-job-map").update(title="Edited by staff")
    again = load_blog_demo()
    assert again.posts_added == 0
    assert Post.objects.get(slug="reading-a-job-map").title == "Edited by staff"
    assert Author.objects.count() == 2
