"""Applications, their append-only history, screening questions, notes and conversations."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mapertunity.candidates.models import private_storage

from .stages import OPEN_STAGES, Stage


class ScreeningQuestion(models.Model):
    """A question an employer asks everyone who applies to one job."""

    class Kind(models.TextChoices):
        TEXT = "text", "Short answer"
        YES_NO = "yes_no", "Yes or no"
        NUMBER = "number", "Number"

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_candidate(self, user: AbstractBaseUser | AnonymousUser) -> ApplicationQuerySet:
        """The applications this user made."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(candidate__user_id=user.pk)

    def for_employer(self, user: AbstractBaseUser | AnonymousUser) -> ApplicationQuerySet:
        """Applications to jobs of the companies this user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(job__company__memberships__user_id=user.pk)

    def open(self) -> ApplicationQuerySet:
        return self.filter(stage__in=OPEN_STAGES)


def application_resume_path(instance: Application, filename: str) -> str:
    return f"applications/{instance.id.hex}.{instance.resume_kind or 'pdf'}"


class Application(models.Model):
    """One candidate's application to one job. ``stage`` mirrors the newest stage event,
    kept on the row so the pipeline can filter by it; history and metrics come from the
    events, never from this field."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="applications"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    cover_note = models.TextField(blank=True, max_length=4000)
    # The resume as it was sent: a copy, so replacing the profile's resume later doesn't
    # change what this employer received.
    resume_file = models.FileField(
        storage=private_storage, upload_to=application_resume_path, max_length=200, blank=True
    )
    resume_kind = models.CharField(max_length=4, blank=True)
    resume_name = models.CharField(max_length=200, blank=True)
    resume_text = models.TextField(blank=True)
    next_step = models.CharField(
        max_length=300, blank=True, help_text="What happens next, as the employer told it."
    )
    decision_expected_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "candidate"], name="one_application_per_job")
        ]
        indexes = [models.Index(fields=["job", "stage"], name="application_job_stage")]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"application_id": self.pk})

    def get_employer_url(self) -> str:
        return reverse("applications:employer_detail", kwargs={"application_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class StageEvent(models.Model):
    """Something that happened to an application: a stage change, or the employer's first
    human reply by message. Append-only: rows are written once and never changed, so
    every figure (response rates, time to answer) is computed from them."""

    class Kind(models.TextChoices):
        STAGE = "stage", "Stage change"
        MESSAGE = "message", "Message from the employer"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STAGE)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    by_employer = models.BooleanField(
        default=False, help_text="A person at the company did this (counts as a response)."
    )
    note = models.TextField(blank=True, help_text="The message or reason shown to the candidate.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Stage events are append-only; add a new one instead.")
        super().save(*args, **kwargs)


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return self.value

    @property
    def shown(self) -> str:
        """The answer as people read it: "Yes"/"No" for a yes-or-no question."""
        if self.question.kind == ScreeningQuestion.Kind.YES_NO and self.value in ("yes", "no"):
            return self.value.capitalize()
        return self.value


class Note(models.Model):
    """An employer's private note on an applicant; the candidate never sees it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> ConversationQuerySet:
        """Conversations this user is a party to: as the candidate, or as a member of the
        company. Nobody else, staff included, sees them here."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(candidate__user_id=user.pk) | Q(company__memberships__user_id=user.pk)
        ).distinct()


class Conversation(models.Model):
    """The thread between a company and a candidate: one per application, or one the
    employer started from the candidate map (an invitation until the candidate accepts)."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invitation"
        OPEN = "open", "Open"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="conversations"
    )
    candidate = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="conversations"
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    blocked_by_candidate = models.BooleanField(default=False)
    blocked_by_company = models.BooleanField(default=False)
    reported_at = models.DateTimeField(null=True, blank=True)
    # When each side was last emailed about new messages (the batching window).
    candidate_notified_at = models.DateTimeField(null=True, blank=True)
    company_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "candidate"],
                condition=Q(application__isnull=True),
                name="one_invitation_thread_per_pair",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("applications:conversation", kwargs={"conversation_id": self.pk})

    @property
    def is_blocked(self) -> bool:
        return self.blocked_by_candidate or self.blocked_by_company

    @property
    def contact_shared(self) -> bool:
        """The candidate's email and phone are shown to the company: they applied, or
        accepted the company's invitation."""
        return self.application_id is not None or self.status == self.Status.OPEN


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    from_candidate = models.BooleanField()
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class ReadMark(models.Model):
    """Up to when one person has read a conversation (for unread counts)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_read_mark_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} read up to {self.read_at:%Y-%m-%d %H:%M}"
