"""Alert digests: each new matching job emailed once per alert, whatever runs at once.

``send_due_digests`` is safe to run every few minutes from any number of workers:

1. **Claim.** In one transaction a run picks a due alert (``SELECT … FOR UPDATE SKIP
   LOCKED`` on PostgreSQL, so parallel runs take different alerts; SQLite's immediate
   transactions take the write lock at once, so runs there go one after another) and
   moves its ``next_digest_at`` on with an UPDATE conditional on the value it read — a run
   that lost the race changes nothing.
2. **Match.** In the same transaction it finds the live jobs the alert matches that were
   posted since it was made and not announced yet, writes a ``Digest`` and one
   ``AlertMatch`` per job (unique per alert and job; a conflict is skipped) and keeps only
   the rows it actually wrote. A crash rolls all of it back.
3. **Send.** After the commit the digest goes out through ``core.outbox.send_once``
   under a key naming the digest, then is marked sent. A digest left unsent by a run that
   died or met a mail error is sent by the next run, under the same key and Message-ID.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mapertunity.core.models import SentEmail

from . import emails
from .matching import matching_jobs
from .models import Alert, AlertMatch, Digest

logger = logging.getLogger(__name__)

MAX_JOBS_PER_DIGEST = 50
"""More new jobs than this wait for the next digest (the email links to the full search)."""
MAX_ALERTS_PER_RUN = 500


@dataclass
class DigestReport:
    claimed: int = 0
    sent: int = 0
    jobs: int = 0


def claim_one(now: dt.datetime) -> tuple[Alert, Digest | None] | None:
    """Claim the next due alert and write its digest; None when nothing is due."""
    with transaction.atomic():
        alert = (
            Alert.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_digest_at", "pk")
            .first()
        )
        if alert is None:
            return None
        previous = alert.next_digest_at
        next_at = previous + alert.period
        if next_at <= now:  # the worker was down for a while: don't catch up in a burst
            next_at = now + alert.period
        claimed = Alert.objects.filter(
            pk=alert.pk, next_digest_at=previous, paused_at__isnull=True
        ).update(next_digest_at=next_at, last_digest_at=now)
        if not claimed:
            return alert, None  # another run had it; try the next one
        announced = AlertMatch.objects.filter(alert=alert).values("job_id")
        jobs = matching_jobs(
            alert, since=alert.created_at, exclude=announced, limit=MAX_JOBS_PER_DIGEST
        )
        if not jobs:
            return alert, None
        digest = Digest.objects.create(alert=alert, created_at=now)
        AlertMatch.objects.bulk_create(
            [AlertMatch(alert=alert, job=job, digest=digest, matched_at=now) for job in jobs],
            ignore_conflicts=True,
        )
        won = AlertMatch.objects.filter(digest=digest).count()
        if not won:
            digest.delete()
            return alert, None
        Digest.objects.filter(pk=digest.pk).update(job_count=won)
        digest.job_count = won
        return alert, digest


def send_digest(digest: Digest, *, now: dt.datetime | None = None) -> bool:
    """Email one digest (at most once, through the outbox) and mark it sent."""
    sent = emails.send_digest(digest)
    if SentEmail.objects.filter(key=digest.outbox_key, status=SentEmail.Status.SENT).exists():
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(
            sent_at=now or timezone.now()
        )
    return sent


def send_unsent(*, now: dt.datetime) -> int:
    """Send digests a run wrote but never finished sending."""
    sent = 0
    for digest in Digest.objects.filter(sent_at__isnull=True).select_related("alert__user"):
        try:
            sent += send_digest(digest, now=now)
        except Exception:
            logger.exception(
                "Alert digest %s could not be sent; the next run tries again", digest.pk
            )
    return sent


def send_due_digests(*, now: dt.datetime | None = None) -> DigestReport:
    """Claim every due alert, write its digest and send it. Returns what was done."""
    now = now or timezone.now()
    report = DigestReport()
    report.sent += send_unsent(now=now)
    for _ in range(MAX_ALERTS_PER_RUN):
        found = claim_one(now)
        if found is None:
            break
        _alert, digest = found
        if digest is None:
            continue
        report.claimed += 1
        report.jobs += digest.job_count
        try:
            report.sent += send_digest(digest, now=now)
        except Exception:
            logger.exception(
                "Alert digest %s could not be sent; the next run tries again", digest.pk
            )
    if report.sent:
        logger.info("Sent %d alert digests with %d jobs", report.sent, report.jobs)
    return report
