"""A task that sends one email, for checking the task and mail pipeline end to end.

`make scale-demo ARGS=--check` enqueues many and kills the worker running them; every one
must arrive (once). The pause comes after the email is claimed and before it is sent, the
worst moment for a worker to die.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from .outbox import send_once


@task()
def probe_email(key: str, recipient: str, pause_seconds: float = 0.0) -> bool:
    def build() -> EmailMessage:
        time.sleep(pause_seconds)
        return EmailMessage(
            subject=f"Mapertunity probe {key}",
            body=f"Probe {key}: the task pipeline delivered this email.\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            headers={"X-Mapertunity-Probe": key},
        )

    return send_once(f"probe:{key}", build)
