"""Background work for applications, run by the task worker; thin wrappers of emails.py
and actions.py."""

from __future__ import annotations

from django_tasks import task

from . import actions, emails


@task()
def notify_new_applicant(application_id: str) -> int:
    return emails.new_applicant(application_id)


@task()
def notify_stage(event_id: int) -> bool:
    return emails.stage_changed(event_id)


@task()
def notify_messages(conversation_id: str, side: str) -> bool:
    return emails.new_messages(conversation_id, side)


@task()
def notify_invitation(conversation_id: str) -> bool:
    return emails.invitation(conversation_id)


@task()
def close_unanswered() -> int:
    """Close applications nobody answered (recurring)."""
    return actions.close_unanswered()
