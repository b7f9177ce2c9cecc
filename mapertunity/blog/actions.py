"""Blog workflows: publishing and scheduling posts, subscribing, delivering the emails.

Every side effect (a task, an email) is started from here, never from a signal.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mapertunity.core.ratelimit import allow
from mapertunity.core.tasks import enqueue_on_commit

from .delivery import DeliveryReport, deliver, stall_timeout
from .models import Post, Subscriber

logger = logging.getLogger(__name__)


PUBLISH_DUE_POSTS = "mapertunity.blog.tasks.publish_due_posts"
DELIVER_POST = "mapertunity.blog.tasks.deliver_post"
SEND_CONFIRMATION = "mapertunity.blog.tasks.send_confirmation"


# Posts


def publish_post(*, post: Post, now: dt.datetime | None = None) -> bool:
    """Publish the post and, unless it says otherwise, email it to the subscribers.

    False if it was already published, for instance by a second worker: only the call
    that publishes it starts the emails.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not post.publish(now=now):
            return False
        if post.email_subscribers:
            start_delivery(post=post, now=now)
    return True


def schedule_post(*, post: Post, when: dt.datetime, now: dt.datetime | None = None) -> None:
    """Set the post to go live at `when`, by itself."""
    with transaction.atomic():
        post.schedule(when, now=now)
        enqueue_on_commit(PUBLISH_DUE_POSTS, run_after=when)


def save_post(*, post: Post, previous_status: str | None) -> None:
    """Save a post as staff left it in the admin, then do what its status asks for.

    "Published" publishes it (once) and emails subscribers; "Scheduled" queues it for its
    publish date; "Draft" takes it off the blog.
    """
    target = post.status
    with transaction.atomic():
        if target == Post.Status.PUBLISHED and previous_status != Post.Status.PUBLISHED:
            post.status = previous_status or Post.Status.DRAFT
            post.save()
            publish_post(post=post)
            return
        post.save()
        if target == Post.Status.SCHEDULED and post.published_at is not None:
            enqueue_on_commit(PUBLISH_DUE_POSTS, run_after=post.published_at)


def publish_due_posts(*, now: dt.datetime | None = None) -> list[Post]:
    """Publish the scheduled posts whose time has come; safe to run in several workers."""
    now = now or timezone.now()
    published = []
    for post in Post.objects.due(now).order_by("published_at", "pk"):
        if publish_post(post=post, now=now):
            logger.info("Published scheduled blog post %s", post.pk)
            published.append(post)
    return published


# Email to subscribers


def start_delivery(*, post: Post, now: dt.datetime | None = None) -> None:
    """Queue the emails about a newly published post."""
    if post.delivery_finished_at is not None:
        return  # published before, unpublished, published again: everyone has it
    Post.objects.filter(pk=post.pk).update(
        delivery_requested_at=now or timezone.now(), delivery_heartbeat_at=None
    )
    post.refresh_from_db(fields=["delivery_requested_at", "delivery_heartbeat_at"])
    enqueue_on_commit(DELIVER_POST, post.pk)


def deliver_post(*, post: Post) -> DeliveryReport:
    """Email the post to everyone still waiting for it; on an error, try again later."""
    try:
        report = deliver(post)
    except Exception:
        enqueue_on_commit(DELIVER_POST, post.pk, run_after=timezone.now() + stall_timeout())
        raise
    logger.info("Blog post %s emailed: %s", post.pk, report)
    return report


def resume_stalled_deliveries(*, now: dt.datetime | None = None) -> list[Post]:
    """Start again the deliveries whose worker died or gave up (no progress for a while)."""
    now = now or timezone.now()
    stalled = Post.objects.delivery_stalled(now, stall_timeout())
    return [post for post in stalled if resume_delivery(post=post, now=now)]


def resume_delivery(*, post: Post, now: dt.datetime | None = None) -> bool:
    """Queue the post's delivery task again; it carries on where the last run stopped.

    The restart is claimed with a conditional UPDATE of the post's heartbeat, so two
    sweeps running at once restart a delivery once.
    """
    now = now or timezone.now()
    if not Post.objects.filter(pk=post.pk, delivery_heartbeat_at=post.delivery_heartbeat_at).update(
        delivery_heartbeat_at=now
    ):
        return False
    enqueue_on_commit(DELIVER_POST, post.pk)
    return True


# Subscriptions


def subscribe(*, email: str) -> None:
    """Start the double opt-in for an address: a confirmation link by email.

    Returns nothing on purpose: whether the address was new, waiting or already on the
    list, the caller must answer the same. A confirmed address gets no email, and one
    address gets at most a few links a day however often it is typed in.
    """
    if not allow(
        "address",
        email,
        limit=settings.BLOG_SUBSCRIBE_PER_ADDRESS_PER_DAY,
        window_seconds=24 * 3600,
    ):
        logger.info("Blog subscription: confirmation limit reached for an address")
        return
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    if subscriber.is_confirmed:
        return
    enqueue_on_commit(SEND_CONFIRMATION, subscriber.pk)


def confirm_subscription(*, subscriber: Subscriber) -> None:
    subscriber.confirm()


def unsubscribe(*, subscriber: Subscriber) -> None:
    """Take the address off the list; emails already queued for it are skipped."""
    subscriber.unsubscribe()
