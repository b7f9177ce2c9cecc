"""The two emails the blog sends: "confirm your subscription" and "a new post is out"."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse

from mapertunity.core.links import absolute_url

from .models import Post, Subscriber
from .tokens import confirm_token, unsubscribe_token


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("blog:unsubscribe", args=[unsubscribe_token(subscriber)]))


def _message(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: str,
    headers: dict[str, str] | None = None,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"blog/email/{template}.txt", context),
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(
        render_to_string(f"blog/email/{template}.html", context), "text/html"
    )
    return message


def confirmation_message(
    subscriber: Subscriber, *, request_id: str | None = None
) -> EmailMultiAlternatives:
    """The double opt-in link; with `request_id` (the task sending it) its Message-ID is
    the same each time, so a copy sent again after a crash is recognisably the same."""
    confirm_url = absolute_url(reverse("blog:confirm", args=[confirm_token(subscriber)]))
    headers = {"Message-ID": f"<blog-confirm-{request_id}@{_host()}>"} if request_id else None
    return _message(
        subject=f"Confirm your subscription to the {settings.SITE_NAME} blog",
        template="confirm_subscription",
        context={"confirm_url": confirm_url, "blog_url": absolute_url(reverse("blog:index"))},
        to=subscriber.email,
        headers=headers,
    )


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def new_post_message(
    post: Post, subscriber: Subscriber, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The email about a new post, with one-click unsubscribe (RFC 8058) for mail apps.

    Its Message-ID is the same every time for the same post and subscriber, so in the
    rare case a message is sent twice (a worker killed between the mail server saying
    "accepted" and the database recording it) mail systems can tell it is one message.
    """
    leave_url = unsubscribe_url(subscriber)
    host = _host()
    headers = {
        "List-Unsubscribe": f"<{leave_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.SITE_NAME} blog <blog.{host}>",
        "Message-ID": f"<blog-post-{post.pk}.{subscriber.key.hex}@{host}>",
    }
    context = {
        "post": post,
        "post_url": absolute_url(post.get_absolute_url()),
        "unsubscribe_url": leave_url,
    }
    return _message(
        subject=post.title,
        template="new_post",
        context=context,
        to=subscriber.email,
        headers=headers,
        connection=connection,
    )
