"""Background work for jobs, run by the task worker; thin wrappers around actions.

``expire_jobs`` and ``send_expiry_notices`` are recurring sweeps, safe to run every few
minutes and in two workers at once.
"""

from __future__ import annotations

from django_tasks import task

from . import actions, emails


@task()
def expire_jobs() -> int:
    """Expire the jobs past their closing date (recurring)."""
    return actions.expire_due_jobs()


@task()
def send_expiry_notices() -> int:
    """Tell employers about jobs closing within a few days (recurring)."""
    return actions.send_expiry_notices()


@task()
def notify_expiry(job_id: int) -> bool:
    return emails.expiry_notice(job_id)
