"""Background work for follow-up, run by the task worker; thin wrappers of actions.py,
digest.py and emails.py.

``send_daily_digests`` is the recurring one: run it every few minutes (five is plenty).
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import actions, digest, emails


@task()
def send_daily_digests() -> int:
    """Wrap up quiet interviews, then send each candidate's digest once per local day."""
    actions.wrap_up_quiet()
    return digest.send_due_digests()


@task()
def send_draft_email(draft_id: str) -> bool:
    return emails.personal_email(draft_id)


@task()
def employer_replied(application_id: str, what: str, at: str) -> int:
    """Enqueued by applications when an employer moves or writes on an application."""
    return actions.employer_replied(
        application_id=application_id, what=what, at=dt.datetime.fromisoformat(at)
    )
