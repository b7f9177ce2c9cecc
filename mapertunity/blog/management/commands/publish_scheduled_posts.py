"""``manage.py publish_scheduled_posts``: the blog's safety net, run by hand.

Scheduling a post enqueues a task for its publish time, and publishing one enqueues the
emails, so normally this finds nothing to do. The task worker runs the same sweep every
minute (the `sweep_blog` task, in settings.RECURRING_TASKS) for the cases a task can't
cover by itself: a delivery that failed, a task row removed. No cron job is needed; this
command is for doing it now, or without a worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mapertunity.blog import actions


class Command(BaseCommand):
    help = (
        "Publish the scheduled blog posts that are due and restart email deliveries that "
        "stalled. Idempotent; safe to run from several machines at once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published = actions.publish_due_posts()
        resumed = actions.resume_stalled_deliveries()
        for post in published:
            self.stdout.write(f"Published: {post.title}")
        for post in resumed:
            self.stdout.write(f"Restarted email delivery: {post.title}")
        if not published and not resumed:
            self.stdout.write("Nothing to do.")
