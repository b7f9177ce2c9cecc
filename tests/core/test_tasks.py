"""Background work is enqueued when, and only if, the transaction that asked for it commits."""

import pytest
from django.core import mail
from django.db import transaction

from mapertunity.blog import actions

pytestmark = pytest.mark.django_db


def test_a_task_waits_for_its_transaction_to_commit() -> None:
    with transaction.atomic():
        actions.subscribe(email="reader@example.org")
        assert mail.outbox == []  # the subscriber row isn't visible to a worker yet
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


def test_a_task_asked_for_by_a_transaction_that_rolls_back_never_runs() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.subscribe(email="reader@example.org")
        raise RuntimeError("the request failed after subscribing")
    assert mail.outbox == []
