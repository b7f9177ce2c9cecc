"""Background work for the blog, run by the task worker (`manage.py worker`).

Any of these may run again after its worker died mid-way; each is safe to.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from django_tasks import TaskContext, task

from mapertunity.core.outbox import send_once

from . import actions
from .emails import confirmation_message
from .models import Post, Subscriber

logger = logging.getLogger(__name__)


@task()
def publish_due_posts() -> list[int]:
    """Publish every scheduled post whose time has come; enqueued for each post's time."""
    return [post.pk for post in actions.publish_due_posts()]


@task()
def deliver_post(post_id: int) -> dict[str, Any]:
    """Email a published post to its subscribers; on an error, try again later."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return {}
    return asdict(actions.deliver_post(post=post))


@task(takes_context=True)
def send_confirmation(context: TaskContext, subscriber_id: int) -> bool:
    """Send the double opt-in link once per request (per task); nothing if the address
    confirmed in the meantime.

    Run again after its worker died, the task sends nothing if the first run got as far
    as marking the link sent (core.outbox.send_once). The one window for a second copy is
    a death between the mail server's "accepted" and that mark; the copy has the same
    Message-ID.
    """
    request_id = str(context.task_result.id)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_confirmed:
        return False
    return send_once(
        f"blog-confirmation:{request_id}",
        lambda: confirmation_message(subscriber, request_id=request_id),
    )


@task()
def sweep_blog() -> dict[str, list[int]]:
    """Publish the scheduled posts that are due and restart stalled email deliveries.

    The safety net behind the tasks above, enqueued every minute by the worker
    (settings.RECURRING_TASKS); `manage.py publish_scheduled_posts` does the same by hand.
    """
    published = actions.publish_due_posts()
    resumed = actions.resume_stalled_deliveries()
    return {"published": [post.pk for post in published], "resumed": [post.pk for post in resumed]}
