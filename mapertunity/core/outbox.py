"""Send a notification email at most once per key, even when its task runs twice.

1. Claim: insert a ``SentEmail`` row for the key (unique). A second run finds it and
   stops, unless the row is a claim left by a run that died, which it takes over with a
   conditional UPDATE: at once if the claim's task worker has stopped beating (the
   worker runs the task again after that), else once older than ``STALE_CLAIM``.
2. Send; if sending raises, the claim is dropped so the task's retry can send.
3. Mark the row sent.

Only a death between the mail server accepting the message and step 3 can repeat it,
and the repeat carries the same Message-ID, so mail systems can fold the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import SentEmail, claimed_by_dead_worker
from .worker import current_worker_id

STALE_CLAIM = dt.timedelta(minutes=10)


def send_once(key: str, build: Callable[[], EmailMessage | list[EmailMessage] | None]) -> bool:
    """Send what ``build()`` returns unless ``key`` was sent (or is being sent) already."""
    now = timezone.now()
    me = current_worker_id()
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, claimed_at=now, claimed_by=me)
    except IntegrityError:
        abandoned = Q(claimed_at__lt=now - STALE_CLAIM) | claimed_by_dead_worker(now)
        taken = (
            SentEmail.objects.filter(key=key, status=SentEmail.Status.SENDING)
            .filter(abandoned)
            .update(claimed_at=now, claimed_by=me)
        )
        if not taken:
            return False
    try:
        built = build()
        messages = [] if built is None else built if isinstance(built, list) else [built]
        for message in messages:
            message.send()
    except Exception:
        SentEmail.objects.filter(key=key, status=SentEmail.Status.SENDING).delete()
        raise
    SentEmail.objects.filter(key=key).update(status=SentEmail.Status.SENT, sent_at=timezone.now())
    return bool(messages)
