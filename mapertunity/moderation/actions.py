"""Moderation workflows: reporting jobs and conversations, and staff's decisions on the
review queue. Every email is a task enqueued on commit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.billing import actions as billing
from mapertunity.companies.models import Company
from mapertunity.core.tasks import enqueue_on_commit
from mapertunity.jobs.models import Job

from .models import Reason, Report

if TYPE_CHECKING:  # applications sits above moderation: it calls in, never the reverse
    from mapertunity.applications.models import Conversation, Message

NOTIFY_DECISION = "mapertunity.moderation.tasks.notify_decision"


class ReportError(ValidationError):
    """A report that can't be made, in words for the person making it."""


def _reporters(job: Job) -> int:
    """Different accounts with an open report on the job."""
    return Report.objects.open().filter(job=job).values("reporter").distinct().count()


def report_job(
    *, job: Job, reporter: User, reason: str, details: str = "", now: dt.datetime | None = None
) -> Report:
    """Ask staff to look at a job. Reports from ``JOB_REPORTS_TO_HIDE`` different accounts
    take it off the site until staff decide; one person reporting twice counts once."""
    now = now or timezone.now()
    if not job.is_live:
        raise ReportError("This job is no longer on the site.", code="gone")
    if Job.objects.for_employer(reporter).filter(pk=job.pk).exists():
        raise ReportError("You can't report your own company's job.", code="own")
    existing = Report.objects.open().filter(job=job, reporter=reporter).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = Report.objects.create(
                job=job,
                reporter=reporter,
                reason=Reason(reason),
                details=details.strip()[:2000],
                created_at=now,
            )
            count = _reporters(job)
            if count >= settings.JOB_REPORTS_TO_HIDE:
                locked = Job.objects.select_for_update().get(pk=job.pk)
                if locked.status == Job.Status.PUBLISHED:
                    locked.hide(reason=f"Reported by {count} different accounts", now=now)
                    job.status = locked.status
    except IntegrityError:  # the same person, twice at once
        return Report.objects.open().get(job=job, reporter=reporter)
    return report


def report_conversation(
    *,
    conversation: Conversation,
    reporter: User,
    reason: str,
    details: str = "",
    message: Message | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """File a party's report on a conversation (and the message that prompted it) in the
    queue. The caller checked the reporter is a party and opened the thread to staff."""
    if message is not None and message.conversation_id != conversation.pk:
        raise ReportError("That message isn't in this conversation.", code="message")
    return Report.objects.create(
        conversation=conversation,
        message=message,
        reporter=reporter,
        reason=Reason(reason),
        details=details.strip()[:2000],
        created_at=now or timezone.now(),
    )


def _resolve(job: Job, *, by: User, outcome: str, now: dt.datetime) -> int:
    return (
        Report.objects.open()
        .filter(job=job)
        .update(resolved_at=now, resolved_by=by, outcome=outcome)
    )


def approve_job(*, job: Job, by: User, now: dt.datetime | None = None) -> Job:
    """Staff let a held, first or hidden posting on the site (or keep a reported live one);
    its company's later postings go live without waiting, unless the screen holds them."""
    now = now or timezone.now()
    with transaction.atomic():
        if job.status != Job.Status.PUBLISHED:
            job.approve(by=by, now=now)
            enqueue_on_commit(NOTIFY_DECISION, job.pk)
        Company.objects.filter(pk=job.company_id, postings_approved_at__isnull=True).update(
            postings_approved_at=now
        )
        _resolve(job, by=by, outcome=Report.Outcome.KEPT, now=now)
    return job


def reject_job(*, job: Job, by: User, reason: str, now: dt.datetime | None = None) -> Job:
    """Staff send a posting back to the employer with what to change; it stays off the site
    until they change it and send it again. A job that was never live gets its credit
    back (``billing.actions``)."""
    now = now or timezone.now()
    with transaction.atomic():
        job.reject(by=by, reason=reason, now=now)
        billing.refund_if_never_live(job=job, now=now)
        _resolve(job, by=by, outcome=Report.Outcome.SENT_BACK, now=now)
        enqueue_on_commit(NOTIFY_DECISION, job.pk)
    return job


def resolve_reports(
    *, reports: list[Report], by: User, outcome: str, now: dt.datetime | None = None
) -> int:
    """Close reports staff dealt with (conversations, or reports on jobs left as they are)."""
    ids = [report.pk for report in reports]
    return (
        Report.objects.open()
        .filter(pk__in=ids)
        .update(resolved_at=now or timezone.now(), resolved_by=by, outcome=outcome)
    )
