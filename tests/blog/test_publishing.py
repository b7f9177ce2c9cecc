"""Publishing now, scheduling for later, and the task and command that make it happen."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from mapertunity.blog import actions, tasks
from mapertunity.blog.models import Post

from .helpers import make_post, make_subscriber

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_publishing_a_draft_makes_it_public_now_and_emails_subscribers() -> None:
    make_subscriber("reader@example.org")
    post = make_post(status=Post.Status.DRAFT)
    before = timezone.now()
    assert actions.publish_post(post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.published_at >= before
    assert Post.objects.published().filter(pk=post.pk).exists()
    assert [m.subject for m in mail.outbox] == [post.title]


def test_publishing_twice_publishes_and_emails_once() -> None:
    make_subscriber("reader@example.org")
    post = make_post(status=Post.Status.DRAFT)
    assert actions.publish_post(post=post)
    assert not actions.publish_post(post=post)
    assert len(mail.outbox) == 1


def test_a_second_worker_holding_a_stale_copy_cannot_publish_it_again() -> None:
    make_subscriber("reader@example.org")
    post = make_post(status=Post.Status.DRAFT)
    stale_copy = Post.objects.get(pk=post.pk)
    assert actions.publish_post(post=post)
    assert not actions.publish_post(post=stale_copy)
    assert len(mail.outbox) == 1


def test_a_post_can_be_published_without_emailing_anyone() -> None:
    make_subscriber("reader@example.org")
    post = make_post(status=Post.Status.DRAFT, email_subscribers=False)
    assert actions.publish_post(post=post)
    assert mail.outbox == []


def test_a_back_dated_post_keeps_its_date_when_published() -> None:
    last_year = timezone.now() - dt.timedelta(days=365)
    post = make_post(status=Post.Status.DRAFT, published_at=last_year)
    actions.publish_post(post=post)
    post.refresh_from_db()
    assert post.published_at == last_year


@override_settings(TASKS=DUMMY_TASKS)
def test_scheduling_enqueues_the_publish_task_for_the_publish_time() -> None:
    post = make_post(status=Post.Status.DRAFT)
    when = timezone.now() + dt.timedelta(days=2)
    actions.schedule_post(post=post, when=when)
    [result] = default_task_backend.results
    assert result.task.func is tasks.publish_due_posts.func
    assert result.task.run_after == when
    assert not Post.objects.published().exists()


def test_a_scheduled_post_stays_hidden_until_its_time_then_goes_live_once() -> None:
    make_subscriber("reader@example.org")
    # Scheduled an hour ago, for ten seconds ago.
    scheduled_at = timezone.now() - dt.timedelta(hours=1, seconds=10)
    when = scheduled_at + dt.timedelta(hours=1)
    post = make_post(status=Post.Status.DRAFT)
    actions.schedule_post(post=post, when=when, now=scheduled_at)

    assert actions.publish_due_posts(now=when - dt.timedelta(minutes=1)) == []
    assert not Post.objects.published().exists()

    assert actions.publish_due_posts() == [post]
    assert actions.publish_due_posts() == []
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == when
    assert len(mail.outbox) == 1


def test_the_task_publishes_what_is_due() -> None:
    due = make_post(
        status=Post.Status.SCHEDULED, published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    later = make_post(
        status=Post.Status.SCHEDULED, published_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert tasks.publish_due_posts.call() == [due.pk]
    assert Post.objects.get(pk=later.pk).status == Post.Status.SCHEDULED


def test_a_rescheduled_post_waits_for_its_new_time() -> None:
    now = timezone.now()
    post = make_post(status=Post.Status.DRAFT)
    actions.schedule_post(post=post, when=now + dt.timedelta(hours=1), now=now)
    actions.schedule_post(post=post, when=now + dt.timedelta(hours=5), now=now)
    # The task enqueued for the first time runs and finds nothing due.
    assert actions.publish_due_posts(now=now + dt.timedelta(hours=1, minutes=1)) == []
    assert actions.publish_due_posts(now=now + dt.timedelta(hours=5, minutes=1)) == [post]


def test_the_command_publishes_due_posts_as_a_safety_net() -> None:
    make_post(
        title="Overdue",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(minutes=3),
    )
    out = StringIO()
    call_command("publish_scheduled_posts", stdout=out)
    assert "Published: Overdue" in out.getvalue()
    assert Post.objects.published().count() == 1
    out = StringIO()
    call_command("publish_scheduled_posts", stdout=out)
    assert "Nothing to do." in out.getvalue()


def test_the_recurring_sweep_publishes_what_is_due_and_restarts_stalled_deliveries() -> None:
    due = make_post(
        status=Post.Status.SCHEDULED, published_at=timezone.now() - dt.timedelta(minutes=1)
    )
    stalled = make_post()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Post.objects.filter(pk=stalled.pk).update(delivery_requested_at=long_ago)
    assert tasks.sweep_blog.call() == {"published": [due.pk], "resumed": [stalled.pk]}
    assert tasks.sweep_blog.call() == {"published": [], "resumed": []}
