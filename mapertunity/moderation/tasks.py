"""Background work for moderation, run by the task worker; thin wrappers of emails.py."""

from __future__ import annotations

from django_tasks import task

from . import emails


@task()
def notify_decision(job_id: int) -> bool:
    return emails.decision(job_id)
