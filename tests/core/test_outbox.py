"""send_once: a claim left by a dead task worker is taken over as soon as it is dead."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from mapertunity.core import worker
from mapertunity.core.models import SentEmail
from mapertunity.core.outbox import send_once

pytestmark = pytest.mark.django_db


def hello() -> EmailMessage:
    return EmailMessage(subject="Hello", body="Hi.", to=["reader@example.org"])


def left_claim(*, by: str, claimed_at: dt.datetime | None = None) -> None:
    """What a run killed after claiming the key leaves behind."""
    SentEmail.objects.create(key="hello", claimed_at=claimed_at or timezone.now(), claimed_by=by)


def test_a_claim_of_a_worker_that_still_beats_is_left_alone() -> None:
    worker.beat(worker_id="busy", now=timezone.now())
    left_claim(by="busy")
    assert not send_once("hello", hello)
    assert mail.outbox == []


def test_a_claim_of_a_worker_without_a_heartbeat_is_taken_over_at_once() -> None:
    lease = dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    worker.beat(worker_id="killed", now=timezone.now() - lease - dt.timedelta(seconds=1))
    left_claim(by="killed")
    assert send_once("hello", hello)
    assert SentEmail.objects.get().status == SentEmail.Status.SENT


def test_a_claim_made_outside_a_worker_waits_for_the_stale_claim_timeout() -> None:
    left_claim(by="")
    assert not send_once("hello", hello)
    SentEmail.objects.update(claimed_at=timezone.now() - dt.timedelta(minutes=11))
    assert send_once("hello", hello)
