"""What the worker tests run inside real worker processes: a mail server that records,
the data to work on, a task that meets a locked database. No pytest here: the children
import this module with the project's ordinary settings."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task

POST_TITLE = "Delivered through the kills"


def sent_log() -> Path:
    return Path(settings.EMAIL_FILE_PATH) / "sent.log"


class RecordingBackend(BaseEmailBackend):
    """A mail server that notes each message it accepts: one line, fsynced before `send`
    returns, so no kill after "accepted" can lose it. `TEST_MAIL_LATENCY_SECONDS` is its
    round trip, spent before it accepts, as a real server's is; with
    `TEST_MAIL_SLOW_WHILE` (a path) only while that file exists, so a test can keep the
    work going until it has done what it needs to it, however fast the machine is."""

    def send_messages(self, messages: Any) -> int:
        latency = float(os.environ.get("TEST_MAIL_LATENCY_SECONDS", "0"))
        slow_while = os.environ.get("TEST_MAIL_SLOW_WHILE")
        path = sent_log()
        path.parent.mkdir(parents=True, exist_ok=True)
        for message in messages:
            if not slow_while or os.path.exists(slow_while):
                time.sleep(latency)
            message_id = message.extra_headers.get("Message-ID") or message.message()["Message-ID"]
            line = json.dumps([message_id, message.to[0], message.subject]) + "\n"
            # O_APPEND: lines of two workers never interleave.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        return len(messages)


def read_sent(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text().splitlines()]  # type: ignore[misc]


def seed(count: int) -> None:
    """`count` addresses waiting for their confirmation link (as many send_confirmation
    tasks) and a post published to `count` confirmed readers (one deliver_post task)."""
    from mapertunity.blog import actions
    from mapertunity.blog.models import Author, Post, Subscriber

    now = timezone.now()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n}@example.org", confirmed_at=now) for n in range(count)]
    )
    for n in range(count):
        actions.subscribe(email=f"new{n}@example.org")
    author = Author.objects.create(name="Ada Field", slug="ada-field")
    post = Post.objects.create(
        title=POST_TITLE, slug="kills", summary="A summary.", body="Words.", author=author
    )
    actions.publish_post(post=post)


@task()
def fails_once_on_a_locked_database(marker: str) -> str:
    """Meets "database is locked" on its first run (marker file absent), then succeeds."""
    path = Path(marker)
    if not path.exists():
        path.write_text("ran")
        raise OperationalError("database is locked")
    return "done"
