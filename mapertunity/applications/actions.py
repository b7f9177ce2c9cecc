"""Application workflows: apply, move through the pipeline, withdraw, talk, and close
applications nobody answered. Every side effect (an email) is a task enqueued on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.candidates.models import CandidateProfile
from mapertunity.candidates.resumes import check_resume
from mapertunity.companies.models import Company
from mapertunity.core.tasks import enqueue_on_commit
from mapertunity.jobs.models import Job
from mapertunity.moderation import actions as moderation
from mapertunity.moderation.models import Report

from . import metrics
from .models import (
    Answer,
    Application,
    Conversation,
    ConversationQuerySet,
    Message,
    Note,
    ReadMark,
    ScreeningQuestion,
    StageEvent,
)
from .stages import EMPLOYER_MOVES, OPEN_STAGES, Stage

logger = logging.getLogger(__name__)

NOTIFY_STAGE = "mapertunity.applications.tasks.notify_stage"
NOTIFY_APPLICANT = "mapertunity.applications.tasks.notify_new_applicant"
NOTIFY_MESSAGES = "mapertunity.applications.tasks.notify_messages"
NOTIFY_INVITATION = "mapertunity.applications.tasks.notify_invitation"
FOLLOWUP_REPLY = "mapertunity.followup.tasks.employer_replied"
"""The interview follow-up hears of the employer's answer (named by path: no import)."""

NO_RESPONSE_DAYS = 30
"""An application no one at the company answered for this long is closed, honestly."""
DECISION_GRACE_DAYS = 7
"""An interview whose expected decision date passed this long ago, unanswered, is closed."""


class ApplyError(ValidationError):
    """Why an application can't be made, in words for the candidate."""


class PipelineError(ValidationError):
    """A move the pipeline doesn't allow (e.g. from a closed application)."""


class MessageError(ValidationError):
    """A message that can't be sent (blocked, declined, not a party)."""


@dataclass(frozen=True)
class ResumeChoice:
    """What the candidate sends: their profile's resume, or a file for this job only."""

    upload: UploadedFile | None = None
    use_profile: bool = True


# -- applying ---------------------------------------------------------------------------


def apply(
    *,
    job: Job,
    candidate: CandidateProfile,
    cover_note: str = "",
    answers: dict[int, str] | None = None,
    resume: ResumeChoice | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Apply to ``job`` with the profile, a resume and the answers to its questions.

    Raises ApplyError for a job that no longer takes applications, a second application
    to the same job, a missing required answer, or a resume that fails the checks.
    """
    now = now or timezone.now()
    if not job.is_live:
        raise ApplyError("This job is no longer taking applications.", code="closed")
    if Application.objects.filter(job=job, candidate=candidate).exists():
        raise ApplyError("You have already applied to this job.", code="duplicate")
    answers = answers or {}
    questions = list(ScreeningQuestion.objects.filter(job=job))
    missing = [q.text for q in questions if q.required and not str(answers.get(q.pk, "")).strip()]
    if missing:
        raise ApplyError(f"Please answer: {missing[0]}", code="answers")
    resume = resume or ResumeChoice()
    application = Application(job=job, candidate=candidate, cover_note=cover_note, created_at=now)
    _attach_resume(application, candidate, resume)
    try:
        with transaction.atomic():
            application.save()
            StageEvent.objects.create(
                application=application,
                stage=Stage.APPLIED,
                actor=candidate.user,
                created_at=now,
            )
            Answer.objects.bulk_create(
                Answer(application=application, question=q, value=str(answers.get(q.pk, ""))[:500])
                for q in questions
            )
            Conversation.objects.create(
                company=job.company,
                candidate=candidate,
                application=application,
                started_by=candidate.user,
                subject=f"{job.title} at {job.company.name}",
                created_at=now,
                last_message_at=now,
            )
            enqueue_on_commit(NOTIFY_APPLICANT, str(application.pk))
    except IntegrityError as error:
        # Two submissions raced past the check above; the unique constraint decided.
        if application.resume_file:
            application.resume_file.delete(save=False)
        raise ApplyError("You have already applied to this job.", code="duplicate") from error
    return application


def _attach_resume(
    application: Application, candidate: CandidateProfile, choice: ResumeChoice
) -> None:
    """Copy the resume into the application: what the employer got never changes later."""
    if choice.upload is not None:
        checked = check_resume(choice.upload)  # raises ResumeError (a ValueError)
        application.resume_kind, application.resume_text = checked.kind, checked.text
        application.resume_name = (choice.upload.name or f"resume.{checked.kind}")[-200:]
        choice.upload.seek(0)
        application.resume_file.save(
            f"{application.id.hex}.{checked.kind}", choice.upload, save=False
        )
        return
    profile_resume = getattr(candidate, "resume", None) if choice.use_profile else None
    if profile_resume is None:
        return
    application.resume_kind = profile_resume.kind
    application.resume_name = profile_resume.original_name
    application.resume_text = profile_resume.text
    with profile_resume.file.open("rb") as source:
        application.resume_file.save(
            f"{application.id.hex}.{profile_resume.kind}", ContentFile(source.read()), save=False
        )


def withdraw(*, application: Application, now: dt.datetime | None = None) -> StageEvent:
    """The candidate takes their application back."""
    if not application.is_open:
        raise PipelineError("This application is already closed.")
    return _record(
        application,
        Stage.WITHDRAWN,
        actor=application.candidate.user,
        by_employer=False,
        now=now,
        expected=application.stage,
    )


# -- the employer's pipeline ------------------------------------------------------------


def move(
    *,
    application: Application,
    to: str,
    actor: User,
    note: str = "",
    next_step: str | None = None,
    decision_expected_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> StageEvent:
    """Move an applicant one step (one click), record who and when, tell the candidate."""
    allowed = EMPLOYER_MOVES.get(application.stage, ())
    if to not in allowed:
        raise PipelineError(
            f"An application that is “{application.get_stage_display()}” can't move to "
            f"“{Stage(to).label}”."
        )
    event = _record(
        application,
        Stage(to),
        actor=actor,
        by_employer=True,
        note=note.strip(),
        now=now,
        expected=application.stage,
        next_step=next_step,
        decision_expected_on=decision_expected_on,
    )
    enqueue_on_commit(NOTIFY_STAGE, event.pk)
    enqueue_on_commit(FOLLOWUP_REPLY, str(application.pk), "stage", event.created_at.isoformat())
    return event


def _record(
    application: Application,
    stage: Stage,
    *,
    actor: User | None,
    by_employer: bool,
    expected: str,
    note: str = "",
    now: dt.datetime | None = None,
    next_step: str | None = None,
    decision_expected_on: dt.date | None = None,
    kind: str = StageEvent.Kind.STAGE,
) -> StageEvent:
    """Write the event and move the row, conditional on the stage it was read in: two
    people clicking at once can't both move it."""
    now = now or timezone.now()
    changes: dict[str, object] = {"stage": stage, "updated_at": now}
    if next_step is not None:
        changes["next_step"] = next_step.strip()[:300]
    if decision_expected_on is not None or stage != Stage.INTERVIEWING:
        changes["decision_expected_on"] = decision_expected_on
    with transaction.atomic():
        moved = Application.objects.filter(pk=application.pk, stage=expected).update(**changes)
        if not moved:
            raise PipelineError("Someone else changed this application just now; reload it.")
        event = StageEvent.objects.create(
            application=application,
            kind=kind,
            stage=stage,
            actor=actor,
            by_employer=by_employer,
            note=note,
            created_at=now,
        )
    application.refresh_from_db()
    transaction.on_commit(lambda: metrics.forget(application.job.company_id))
    return event


def add_note(*, application: Application, author: User, text: str) -> Note:
    return Note.objects.create(application=application, author=author, text=text.strip())


# -- closing what nobody answered -------------------------------------------------------


def close_unanswered(*, now: dt.datetime | None = None) -> int:
    """Close open applications left without a human answer, and tell the candidate so.

    - no response from anyone at the company for ``NO_RESPONSE_DAYS`` since applying;
    - an interview whose expected decision date passed ``DECISION_GRACE_DAYS`` ago with
      nothing from the company since that date.
    Each closure is a "no response" event, counted against the company's response rate.
    Safe to run in two workers at once: each move is conditional on the stage.
    """
    now = now or timezone.now()
    responded = StageEvent.objects.filter(application=OuterRef("pk"), by_employer=True)
    silent = Application.objects.filter(
        stage__in=OPEN_STAGES, created_at__lte=now - dt.timedelta(days=NO_RESPONSE_DAYS)
    ).exclude(Exists(responded))
    overdue_date = (now - dt.timedelta(days=DECISION_GRACE_DAYS)).date()
    since_decision = StageEvent.objects.filter(
        application=OuterRef("pk"),
        by_employer=True,
        created_at__date__gt=OuterRef("decision_expected_on"),
    )
    overdue = Application.objects.filter(
        stage=Stage.INTERVIEWING, decision_expected_on__lt=overdue_date
    ).exclude(Exists(since_decision))
    closed = 0
    for application in (silent | overdue).distinct().select_related("job__company"):
        reason = (
            "No decision has been shared with you. The company's expected decision date "
            "passed more than a week ago without an update, so we closed this application "
            "on your behalf."
            if application.stage == Stage.INTERVIEWING and application.decision_expected_on
            else "No decision has been shared with you. Nobody at the company responded "
            f"within {NO_RESPONSE_DAYS} days, so we closed this application on your behalf."
        )
        try:
            event = _record(
                application,
                Stage.NO_RESPONSE,
                actor=None,
                by_employer=False,
                note=reason,
                now=now,
                expected=application.stage,
            )
        except PipelineError:
            continue  # moved by someone else meanwhile
        enqueue_on_commit(NOTIFY_STAGE, event.pk)
        closed += 1
    if closed:
        logger.info("Closed %d applications nobody answered", closed)
    return closed


# -- conversations ----------------------------------------------------------------------


def _side(conversation: Conversation, user: User) -> str:
    """ "candidate" or "company": which party ``user`` is, or MessageError."""
    if conversation.candidate.user_id == user.pk:
        return "candidate"
    if conversation.company.memberships.filter(user_id=user.pk).exists():
        return "company"
    raise MessageError("You are not part of this conversation.")


def send_message(
    *, conversation: Conversation, sender: User, body: str, now: dt.datetime | None = None
) -> Message:
    """Post a message; the other side is emailed in a batch (see tasks.notify_messages)."""
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise MessageError("Write a message first.")
    side = _side(conversation, sender)
    # Read the flags afresh: the other side may have blocked or declined a moment ago.
    conversation.refresh_from_db(
        fields=[
            "status",
            "blocked_by_candidate",
            "blocked_by_company",
            "company_notified_at",
            "candidate_notified_at",
        ]
    )
    if conversation.is_blocked:
        raise MessageError("This conversation is blocked; no more messages can be sent.")
    if conversation.status == Conversation.Status.DECLINED:
        raise MessageError("The candidate declined this conversation.")
    if conversation.status == Conversation.Status.INVITED and side == "company":
        raise MessageError("Wait for the candidate to accept your invitation before writing again.")
    with transaction.atomic():
        if conversation.status == Conversation.Status.INVITED:
            # Replying to an invitation accepts it.
            Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.OPEN)
            conversation.status = Conversation.Status.OPEN
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            from_candidate=side == "candidate",
            body=body,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        mark_read(conversation=conversation, user=sender, now=now)
        application = conversation.application
        if side == "company" and application is not None and application.is_open:
            _count_first_reply(application, sender, now)
            enqueue_on_commit(FOLLOWUP_REPLY, str(application.pk), "message", now.isoformat())
        recipient = "company" if side == "candidate" else "candidate"
        last = (
            conversation.company_notified_at
            if recipient == "company"
            else conversation.candidate_notified_at
        )
        window = dt.timedelta(minutes=settings.MESSAGE_EMAIL_MINUTES)
        when = max(now, last + window) if last else now
        # Within the window after the last email, wait for its end: one email then
        # carries everything written meanwhile.
        if when <= now:
            enqueue_on_commit(NOTIFY_MESSAGES, str(conversation.pk), recipient)
        else:
            enqueue_on_commit(NOTIFY_MESSAGES, str(conversation.pk), recipient, run_after=when)
    return message


def _count_first_reply(application: Application, sender: User, now: dt.datetime) -> None:
    """An employer's message is a human response: record it once, as an event."""
    if not application.events.filter(by_employer=True).exists():
        StageEvent.objects.create(
            application=application,
            kind=StageEvent.Kind.MESSAGE,
            stage=application.stage,
            actor=sender,
            by_employer=True,
            created_at=now,
        )
        transaction.on_commit(lambda: metrics.forget(application.job.company_id))


def invite(
    *,
    company: Company,
    candidate: CandidateProfile,
    sender: User,
    body: str,
    now: dt.datetime | None = None,
) -> Conversation:
    """An employer starts a conversation with a candidate found on the map or a profile.

    It stays an invitation, with no contact details shown, until the candidate accepts.
    """
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise MessageError("Write a message first.")
    existing = Conversation.objects.filter(
        company=company, candidate=candidate, application__isnull=True
    ).first()
    if existing is not None:
        raise MessageError("You already have a conversation with this person.", code="exists")
    with transaction.atomic():
        conversation = Conversation.objects.create(
            company=company,
            candidate=candidate,
            started_by=sender,
            subject=f"{company.name} would like to talk",
            status=Conversation.Status.INVITED,
            created_at=now,
            last_message_at=now,
        )
        Message.objects.create(
            conversation=conversation,
            sender=sender,
            from_candidate=False,
            body=body,
            created_at=now,
        )
        mark_read(conversation=conversation, user=sender, now=now)
        enqueue_on_commit(NOTIFY_INVITATION, str(conversation.pk))
    return conversation


def answer_invitation(*, conversation: Conversation, user: User, accept: bool) -> None:
    if conversation.candidate.user_id != user.pk:
        raise MessageError("Only the person invited can answer.")
    if conversation.status != Conversation.Status.INVITED:
        raise MessageError("This invitation was already answered.")
    status = Conversation.Status.OPEN if accept else Conversation.Status.DECLINED
    Conversation.objects.filter(pk=conversation.pk, status=Conversation.Status.INVITED).update(
        status=status
    )
    conversation.status = status


def block(*, conversation: Conversation, user: User) -> None:
    """Either side stops the conversation; nobody can write in it again."""
    field = (
        "blocked_by_candidate" if _side(conversation, user) == "candidate" else "blocked_by_company"
    )
    Conversation.objects.filter(pk=conversation.pk).update(**{field: True})
    setattr(conversation, field, True)


def report(
    *,
    conversation: Conversation,
    reporter: User,
    reason: str,
    details: str = "",
    message: Message | None = None,
) -> Report:
    """Ask staff to look: the report joins the moderation queue, and from now on staff may
    read this conversation in the admin."""
    _side(conversation, reporter)
    now = timezone.now()
    with transaction.atomic():
        found = moderation.report_conversation(
            conversation=conversation,
            reporter=reporter,
            reason=reason,
            details=details,
            message=message,
            now=now,
        )
        Conversation.objects.filter(pk=conversation.pk, reported_at__isnull=True).update(
            reported_at=now
        )
    return found


def mark_read(*, conversation: Conversation, user: User, now: dt.datetime | None = None) -> None:
    ReadMark.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": now or timezone.now()}
    )


def unread_count(user: User | AnonymousUser) -> int:
    """Conversations with a message from the other side this user hasn't read."""
    if not user.is_authenticated:
        return 0
    return unread_conversations(user).count()


def unread_conversations(user: User | AnonymousUser) -> ConversationQuerySet:
    if not isinstance(user, User):
        return Conversation.objects.none()
    read_at = ReadMark.objects.filter(conversation=OuterRef("pk"), user_id=user.pk).values(
        "read_at"
    )
    theirs = Message.objects.filter(conversation=OuterRef("pk")).exclude(sender_id=user.pk)
    theirs_anywhere = Message.objects.exclude(sender_id=user.pk)
    return (
        Conversation.objects.for_user(user)
        .annotate(read_at=Subquery(read_at[:1]))
        .filter(
            Exists(theirs.filter(created_at__gt=OuterRef("read_at")))
            | Q(
                read_at__isnull=True,
                pk__in=theirs_anywhere.values("conversation"),
            )
        )
    )
