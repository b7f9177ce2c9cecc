"""The emails jobs send, each exactly once (core.outbox): the notice before a job closes."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from mapertunity.accounts.models import User
from mapertunity.accounts.notifications import Kind, message
from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once

from . import actions
from .models import Job


def expiry_notice(job_id: int) -> bool:
    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None or not job.is_live:
        return False
    context = {
        "job": job,
        "days": settings.JOB_EXPIRY_NOTICE_DAYS,
        "url": absolute_url(actions.renew_url(job)),
        "dashboard_url": absolute_url(reverse("employers:dashboard")),
    }
    stamp = int(job.valid_through.timestamp())
    sent = False
    for member in actions.employers_to_notify(job):

        def build(member: User = member) -> EmailMultiAlternatives | None:
            return message(
                to=member,
                kind=Kind.POSTINGS,
                subject=f"“{job.title}” closes on {job.valid_through:%d %B}: renew it?",
                template="jobs/email/expiry_notice",
                context=context,
                message_id=f"expiry-{job.pk}.{stamp}.{member.pk}",
            )

        sent |= send_once(f"job-expiry:{job.pk}:{stamp}:{member.pk}", build)
    return sent
