"""The emails moderation sends, each once per decision: staff's answer on a posting."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from mapertunity.accounts.models import User
from mapertunity.accounts.notifications import Kind, message
from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once
from mapertunity.jobs.actions import employers_to_notify
from mapertunity.jobs.models import Job


def decision(job_id: int) -> bool:
    """Tell the employer what staff decided about a posting (approved, or what to change)."""
    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None or job.reviewed_at is None:
        return False
    approved = job.status == Job.Status.PUBLISHED
    context = {
        "job": job,
        "approved": approved,
        "url": absolute_url(
            job.get_absolute_url()
            if approved
            else reverse("employers:job_edit", kwargs={"job_id": job.pk})
        ),
    }
    subject = (
        f"“{job.title}” is live on the map"
        if approved
        else f"“{job.title}”: our staff asked for changes"
    )
    stamp = int(job.reviewed_at.timestamp())
    sent = False
    for member in employers_to_notify(job):

        def build(member: User = member) -> EmailMultiAlternatives | None:
            return message(
                to=member,
                kind=Kind.REVIEWS,
                subject=subject,
                template="moderation/email/decision",
                context=context,
                message_id=f"review-{job.pk}.{stamp}.{member.pk}",
            )

        sent |= send_once(f"review:{job.pk}:{stamp}:{member.pk}", build)
    return sent
