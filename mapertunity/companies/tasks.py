"""Background work for companies, run by the task worker; thin wrappers of emails.py."""

from __future__ import annotations

from django_tasks import task

from . import emails


@task()
def send_domain_check(company_id: int, email: str, token: str) -> bool:
    return emails.domain_check(company_id, email, token)
