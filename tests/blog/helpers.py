"""Small factories for the blog's tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from mapertunity.blog.models import Author, Category, Post, Subscriber, Tag

_serial = itertools.count(1)


def make_author(**fields: Any) -> Author:
    n = next(_serial)
    fields.setdefault("name", f"Author {n}")
    fields.setdefault("slug", f"author-{n}")
    return Author.objects.create(**fields)


def make_post(
    *,
    categories: list[Category] = (),  # type: ignore[assignment]
    tags: list[Tag] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Post:
    """A published post from a day ago unless told otherwise."""
    n = next(_serial)
    fields.setdefault("title", f"Post number {n}")
    fields.setdefault("slug", f"post-{n}")
    fields.setdefault("summary", "A short summary.")
    fields.setdefault("body", "Some **words** in a paragraph.")
    fields.setdefault("status", Post.Status.PUBLISHED)
    if fields["status"] == Post.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - dt.timedelta(days=1))
    if "author" not in fields:
        fields["author"] = make_author()
    post = Post.objects.create(**fields)
    post.categories.set(categories)
    post.tags.set(tags)
    return post


def make_category(name: str) -> Category:
    return Category.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_tag(name: str) -> Tag:
    return Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_subscriber(
    email: str, *, confirmed: bool = True, unsubscribed: bool = False
) -> Subscriber:
    now = timezone.now()
    return Subscriber.objects.create(
        email=email,
        confirmed_at=now if confirmed or unsubscribed else None,
        unsubscribed_at=now if unsubscribed else None,
    )


def recipients() -> list[str]:
    return [address for message in mail.outbox for address in message.to]


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: no `except Exception` sees it, so nothing cleans up."""


class FlakyBackend(EmailBackend):
    """The locmem backend, but it breaks after `allow` messages.

    `error` is what it raises: an ordinary exception (the mail server hung up) or
    WorkerKilled (the process died). Messages before the break reach `mail.outbox`.
    """

    allow = 0
    error: type[BaseException] = ConnectionResetError
    down = False
    """When True, the server can't even be reached."""

    def open(self) -> bool:
        if FlakyBackend.down:
            raise ConnectionRefusedError("no mail server")
        return super().open() or False

    def send_messages(self, messages: list[Any]) -> int:
        sent = 0
        for message in messages:
            if FlakyBackend.allow <= 0:
                raise FlakyBackend.error("the mail server went away")
            FlakyBackend.allow -= 1
            sent += super().send_messages([message])
        return sent
