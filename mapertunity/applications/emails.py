"""The emails applications send, each exactly once (core.outbox) and in two parts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.accounts.notifications import Kind, message
from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once

from .models import Application, Conversation, Message, ReadMark, StageEvent
from .stages import Stage

DECISION_STAGES = {Stage.OFFER, Stage.HIRED, Stage.NOT_SELECTED, Stage.NO_RESPONSE}

SUBJECTS = {
    Stage.REVIEWING: "{company} is reviewing your application",
    Stage.INTERVIEWING: "{company} would like to interview you",
    Stage.OFFER: "An offer from {company}",
    Stage.HIRED: "You're hired: {job} at {company}",
    Stage.NOT_SELECTED: "An update on your application to {company}",
    Stage.NO_RESPONSE: "Your application to {company} has been closed",
}


def _members(application_or_conversation: Application | Conversation) -> list[User]:
    company = (
        application_or_conversation.job.company
        if isinstance(application_or_conversation, Application)
        else application_or_conversation.company
    )
    return list(User.objects.filter(memberships__company=company, is_active=True))


def new_applicant(application_id: str) -> bool:
    application = (
        Application.objects.select_related("job__company", "candidate__user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return False
    context = {
        "application": application,
        "job": application.job,
        "candidate": application.candidate,
        "url": absolute_url(application.get_employer_url()),
        "pipeline_url": absolute_url(
            reverse("applications:pipeline", kwargs={"job_id": application.job_id})
        ),
    }
    sent = False
    for member in _members(application):

        def build(member: User = member) -> object:
            return message(
                to=member,
                kind=Kind.APPLICANTS,
                subject=f"New applicant for {application.job.title}: "
                f"{application.candidate.user.display_name}",
                template="applications/email/new_applicant",
                context=context,
                message_id=f"applicant-{application.pk}.{member.pk}",
            )

        sent |= send_once(f"applicant:{application.pk}:{member.pk}", build)  # type: ignore[arg-type]
    return sent


def stage_changed(event_id: int) -> bool:
    event = (
        StageEvent.objects.select_related(
            "application__job__company", "application__candidate__user"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.stage not in SUBJECTS:
        return False
    application = event.application
    job, company = application.job, application.job.company
    kind = Kind.DECISIONS if event.stage in DECISION_STAGES else Kind.PROGRESS
    context = {
        "event": event,
        "application": application,
        "job": job,
        "company": company,
        "url": absolute_url(application.get_absolute_url()),
    }
    subject = SUBJECTS[Stage(event.stage)].format(company=company.name, job=job.title)
    return send_once(
        f"stage:{event.pk}",
        lambda: message(
            to=application.candidate.user,
            kind=kind,
            subject=subject,
            template="applications/email/stage_changed",
            context=context,
            message_id=f"stage-{event.pk}",
        ),
    )


def new_messages(conversation_id: str, side: str) -> bool:
    """One email for everything the other side wrote since the last one, unless it was
    read already. Claimed by moving the side's "notified at" conditionally, so two workers
    (or two queued tasks) send it once."""
    conversation = (
        Conversation.objects.select_related("company", "candidate__user")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or side not in ("candidate", "company"):
        return False
    field = f"{side}_notified_at"
    last = getattr(conversation, field)
    now = timezone.now()
    window = dt.timedelta(minutes=settings.MESSAGE_EMAIL_MINUTES)
    if last is not None and now < last + window:
        return False  # a task queued for the window's end will carry these messages
    recipients = [conversation.candidate.user] if side == "candidate" else _members(conversation)
    pending = Message.objects.filter(conversation=conversation, from_candidate=side == "company")
    if last is not None:
        pending = pending.filter(created_at__gt=last)
    messages = list(pending.select_related("sender"))
    if not messages:
        return False
    # The newest message sent, not the clock, marks the batch: one written while this runs
    # is newer, so the next batch carries it.
    upto = messages[-1].created_at
    if not Conversation.objects.filter(pk=conversation.pk, **{field: last}).update(**{field: upto}):
        return False
    url = absolute_url(conversation.get_absolute_url())
    sent = False
    for recipient in recipients:
        read = ReadMark.objects.filter(conversation=conversation, user=recipient).first()
        unread = [m for m in messages if read is None or m.created_at > read.read_at]
        if not unread:
            continue

        def build(recipient: User = recipient, unread: list[Message] = unread) -> object:
            return message(
                to=recipient,
                kind=Kind.MESSAGES,
                subject=f"New message{'s' if len(unread) > 1 else ''}: {conversation.subject}",
                template="applications/email/new_messages",
                context={"conversation": conversation, "messages": unread, "url": url},
                message_id=f"messages-{conversation.pk}.{unread[-1].pk}.{recipient.pk}",
            )

        key = f"messages:{conversation.pk}:{unread[-1].pk}:{recipient.pk}"
        sent |= send_once(key, build)  # type: ignore[arg-type]
    return sent


def invitation(conversation_id: str) -> bool:
    conversation = (
        Conversation.objects.select_related("company", "candidate__user")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        return False
    first = conversation.messages.order_by("created_at", "pk").first()
    return send_once(
        f"invitation:{conversation.pk}",
        lambda: message(
            to=conversation.candidate.user,
            kind=Kind.INVITATIONS,
            subject=f"{conversation.company.name} would like to talk with you",
            template="applications/email/invitation",
            context={
                "conversation": conversation,
                "first": first,
                "url": absolute_url(conversation.get_absolute_url()),
            },
            message_id=f"invitation-{conversation.pk}",
        ),
    )
