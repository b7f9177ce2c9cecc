"""Two postings sent at the same moment with one credit left: exactly one goes live.

Each thread has its own database connection. The balance read is slowed down so that,
without the lock on the company's row, both threads would read "1 credit" before either
spends it; with the lock the second waits, reads 0 and is refused. Runs on PostgreSQL
(``select_for_update``) and on SQLite (writers serialised by ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from mapertunity.billing import actions as billing
from mapertunity.billing.models import Movement
from mapertunity.jobs import actions
from mapertunity.jobs.models import Job
from tests.helpers import make_company, verify_email

from .helpers import draft, give, use_free_posting


@pytest.mark.django_db(transaction=True)
def test_two_postings_at_once_with_one_credit_put_exactly_one_live(monkeypatch) -> None:
    from django.utils import timezone

    from mapertunity.accounts.models import User

    owner = User.objects.create_user("race@harbor.example.com", "correct-horse-battery")
    verify_email(owner)
    company = make_company(owner=owner, postings_approved_at=timezone.now())
    use_free_posting(company)
    give(company, 1)
    jobs = [draft(company, owner, title=f"Race {n}") for n in range(2)]

    real_balance = billing.balance

    def slow_balance(company: object) -> int:
        value = real_balance(company)  # type: ignore[arg-type]
        time.sleep(0.3)
        return value

    monkeypatch.setattr(billing, "balance", slow_balance)
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def post(job: Job) -> None:
        try:
            start.wait()
            actions.submit(job=Job.objects.select_related("company").get(pk=job.pk), by=owner)
            outcomes[job.pk] = "live"
        except billing.NoCredits:
            outcomes[job.pk] = "no credits"
        except Exception as error:  # reported in the assertion below
            outcomes[job.pk] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["live", "no credits"], (connection.vendor, outcomes)
    statuses = sorted(
        Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True)
    )
    assert statuses == ["draft", "published"]
    assert real_balance(company) == 0
    assert Movement.objects.filter(kind="spend").count() == 1
