"""Background work for billing, run by the task worker; thin wrappers of emails.py."""

from __future__ import annotations

from django_tasks import task

from . import emails


@task()
def send_receipt(checkout_id: int) -> bool:
    return emails.receipt(checkout_id)
