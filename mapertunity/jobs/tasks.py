"""Background work for jobs, run by the task worker; thin wrappers around actions."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def expire_jobs() -> int:
    """Expire the jobs past their closing date (recurring)."""
    return actions.expire_due_jobs()
