"""Emailing a published post to every confirmed subscriber, each exactly once.

How a crash or a second worker can neither skip anyone nor send twice:

1. **Fan out.** One transaction writes a `Delivery` row per confirmed subscriber (unique
   on post and subscriber) and marks the post fanned out. A crash rolls the whole list
   back and the next run writes it again; a later run skips the step.
2. **Claim.** A run takes a batch of pending rows by switching them to "sending" with
   its own random token, in one UPDATE conditional on `status = 'pending'`, so each row
   goes to one run only, on SQLite and PostgreSQL alike. PostgreSQL also picks the rows
   with `SELECT ... FOR UPDATE SKIP LOCKED`, so parallel runs don't queue behind each
   other.
3. **Send.** Right before a message goes out the run renews its claim on that row (and
   skips it if the claim was lost); right after the mail server accepts it, the row
   becomes "sent". If sending raises, the message was not accepted: the row and the
   rest of the batch go back to pending. If the process dies instead, its rows stay
   "sending"; the next run takes them back as soon as the task worker that claimed them
   has stopped beating (mapertunity.core.worker), or, for a run outside a worker, once
   they are older than the stall timeout. Only a death between "accepted" and the
   UPDATE that follows can repeat a message, and that message carries the same
   Message-ID both times.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from mapertunity.core.models import claimed_by_dead_worker
from mapertunity.core.worker import current_worker_id

from .emails import new_post_message
from .models import Delivery, Post, Subscriber

logger = logging.getLogger(__name__)

FAN_OUT_CHUNK = 1000
MAX_ATTEMPTS = 5
"""A message that failed this many times is given up on, so it can't block the rest."""


@dataclass
class DeliveryReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    finished: bool = False


def stall_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BLOG_DELIVERY_STALL_SECONDS)


def deliver(post: Post, *, batch_size: int | None = None) -> DeliveryReport:
    """Send the post to everyone still waiting for it, batch by batch, then mark it done.

    Safe to run any number of times, also at once in several workers.
    """
    batch_size = batch_size or settings.BLOG_DELIVERY_BATCH_SIZE
    report = DeliveryReport()
    post = Post.objects.get(pk=post.pk)
    if not post.is_live:
        # Unpublished since; the rows wait in case it comes back.
        return report
    fan_out(post)
    release_stalled(post, older_than=timezone.now() - stall_timeout())
    if batch := claim(post, size=batch_size):
        # One connection to the mail server for the whole run, opened only if needed.
        connection = get_connection()
        try:
            connection.open()
        except Exception:
            _put_back(batch[0].claim_token)
            raise
        try:
            while batch:
                _send_batch(post, batch, connection=connection, report=report)
                Post.objects.filter(pk=post.pk).update(delivery_heartbeat_at=timezone.now())
                batch = claim(post, size=batch_size)
        finally:
            connection.close()
    if not post.deliveries.unfinished().exists():
        Post.objects.filter(pk=post.pk, delivery_finished_at__isnull=True).update(
            delivery_finished_at=timezone.now()
        )
        report.finished = True
    return report


def fan_out(post: Post) -> int:
    """Write the recipient list for the post, once; the number of rows written."""
    now = timezone.now()
    with transaction.atomic():
        # The row lock (PostgreSQL) or the write lock (SQLite) lets one run do this.
        unlisted = Post.objects.select_for_update().filter(
            pk=post.pk, delivery_fanned_out_at__isnull=True
        )
        if unlisted.first() is None:
            return 0
        ids = list(Subscriber.objects.confirmed().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), FAN_OUT_CHUNK):
            Delivery.objects.bulk_create(
                [
                    Delivery(post=post, subscriber_id=pk)
                    for pk in ids[start : start + FAN_OUT_CHUNK]
                ],
                ignore_conflicts=True,
            )
        Post.objects.filter(pk=post.pk).update(
            delivery_fanned_out_at=now, delivery_heartbeat_at=now
        )
    return len(ids)


def release_stalled(post: Post, *, older_than: dt.datetime, now: dt.datetime | None = None) -> int:
    """Give rows claimed by a run that died back to the pending pile: those of a worker
    with no heartbeat at once, any other once it has been quiet since `older_than`."""
    abandoned = claimed_by_dead_worker(now or timezone.now()) | Q(claimed_at__lt=older_than)
    return (
        post.deliveries.filter(status=Delivery.Status.SENDING)
        .filter(abandoned)
        .update(status=Delivery.Status.PENDING, claim_token="")
    )


def claim(post: Post, *, size: int) -> list[Delivery]:
    """Take up to `size` pending rows for this run; no other run can take them too."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            post.deliveries.filter(status=Delivery.Status.PENDING)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING,
            claim_token=token,
            claimed_at=timezone.now(),
            claimed_by=current_worker_id(),
        )
    return list(
        Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


def _send_batch(
    post: Post, batch: list[Delivery], *, connection: BaseEmailBackend, report: DeliveryReport
) -> None:
    for delivery in batch:
        held = Delivery.objects.filter(
            pk=delivery.pk, claim_token=delivery.claim_token, status=Delivery.Status.SENDING
        )
        # Renew the claim; if a stall sweep gave the row to another run, leave it to that run.
        if not held.update(claimed_at=timezone.now()):
            continue
        subscriber = delivery.subscriber
        subscriber.refresh_from_db(fields=["confirmed_at", "unsubscribed_at"])
        if not subscriber.is_confirmed:
            held.update(status=Delivery.Status.SKIPPED, claim_token="")
            report.skipped += 1
            continue
        try:
            accepted = new_post_message(post, subscriber, connection=connection).send()
        except smtplib.SMTPRecipientsRefused as exc:
            # This address is refused for good; everyone else still gets theirs.
            _give_up(held, exc)
            report.failed += 1
            continue
        except Exception as exc:
            _release(delivery, exc)
            raise
        if not accepted:
            _give_up(held, "The mail backend did not accept the message.")
            report.failed += 1
            continue
        held.update(
            status=Delivery.Status.SENT,
            sent_at=timezone.now(),
            claim_token="",
            attempts=F("attempts") + 1,
        )
        report.sent += 1


def _give_up(held: QuerySet[Delivery], error: object) -> None:
    held.update(
        status=Delivery.Status.FAILED,
        claim_token="",
        attempts=F("attempts") + 1,
        last_error=str(error)[:300],
    )


def _release(delivery: Delivery, error: Exception) -> None:
    """Sending raised: put this row and the rest of its batch back for the next run."""
    logger.warning("Blog delivery %s failed: %r", delivery.pk, error)
    attempts = delivery.attempts + 1
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        status=Delivery.Status.FAILED if attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING,
        claim_token="",
        attempts=attempts,
        last_error=repr(error)[:300],
    )
    _put_back(delivery.claim_token)


def _put_back(claim_token: str) -> None:
    """Return the rows a run still holds, unsent, to the pending pile."""
    Delivery.objects.filter(claim_token=claim_token, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, claim_token=""
    )
