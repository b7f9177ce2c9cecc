import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mapertunity.blog.models import Post, reading_minutes

from .helpers import make_author, make_category, make_post, make_tag

pytestmark = pytest.mark.django_db


def test_reading_time_is_words_over_220_and_at_least_a_minute() -> None:
    assert reading_minutes("<p>short</p>") == 1
    assert reading_minutes("<p>" + "word " * 1100 + "</p>") == 5


def test_saving_renders_the_markdown_and_counts_reading_time() -> None:
    post = make_post(body="## Part\n\n" + "word " * 660)
    assert post.body_html.startswith("<h2>Part</h2>")
    assert post.reading_minutes == 3


def test_a_post_slug_cannot_take_a_blog_page_address() -> None:
    post = Post(title="Feed", slug="feed", summary="s", body="b", author=make_author())
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "slug" in error.value.message_dict


def test_published_leaves_out_drafts_scheduled_and_future_posts() -> None:
    live = make_post()
    make_post(status=Post.Status.DRAFT)
    make_post(status=Post.Status.SCHEDULED, published_at=timezone.now() + dt.timedelta(hours=1))
    make_post(published_at=timezone.now() + dt.timedelta(hours=1))
    assert list(Post.objects.published()) == [live]


def test_related_posts_share_a_topic_and_rank_by_shared_tags_then_categories_then_recency() -> None:
    guides, hiring = make_category("Guides"), make_category("Hiring")
    maps, pay, interviews = make_tag("Maps"), make_tag("Pay"), make_tag("Interviews")
    now = timezone.now()
    post = make_post(categories=[guides], tags=[maps, pay])
    two_tags = make_post(tags=[maps, pay], published_at=now - dt.timedelta(days=30))
    one_tag_and_category = make_post(
        categories=[guides], tags=[pay], published_at=now - dt.timedelta(days=20)
    )
    one_tag = make_post(tags=[maps], published_at=now - dt.timedelta(days=10))
    category_only_old = make_post(categories=[guides], published_at=now - dt.timedelta(days=9))
    category_only_new = make_post(categories=[guides], published_at=now - dt.timedelta(days=2))
    unrelated_newest = make_post(
        categories=[hiring], tags=[interviews], published_at=now - dt.timedelta(hours=1)
    )

    ranked = list(Post.objects.published().related_to(post))

    assert ranked == [
        two_tags,
        one_tag_and_category,
        one_tag,
        category_only_new,
        category_only_old,
    ]
    assert unrelated_newest not in ranked


def test_scheduling_needs_a_future_date_and_an_unpublished_post() -> None:
    draft = make_post(status=Post.Status.DRAFT)
    with pytest.raises(ValidationError):
        draft.schedule(timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        make_post().schedule(timezone.now() + dt.timedelta(days=1))
    when = timezone.now() + dt.timedelta(days=1)
    draft.schedule(when)
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Post.Status.SCHEDULED, when)
