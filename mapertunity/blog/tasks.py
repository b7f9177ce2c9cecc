"""Background work for the blog, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from django_tasks import task

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


@task()
def send_confirmation(subscriber_id: int) -> bool:
    """Send the double opt-in link; nothing if the address confirmed in the meantime."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_confirmed:
        return False
    confirmation_message(subscriber).send()
    return True
