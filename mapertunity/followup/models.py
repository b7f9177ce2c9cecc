"""Interviews, the people met there (contacts, the candidate's network), the follow-up plan's
dated steps, and the email drafts written for them. Everything belongs to one user and is
reached by opaque ids only."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


def new_feed_token() -> str:
    """The secret in a calendar feed's URL: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def zone(name: str) -> ZoneInfo:
    """The time zone ``name``, or UTC for a name this machine doesn't know (never raises)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class CoachSettings(models.Model):
    """One person's follow-up settings: their time zone, when the daily digest goes out,
    the calendar feed's secret, and the day the last digest was claimed (so it goes out
    once per local day whatever the number of workers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_settings"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    digest_hour = models.PositiveSmallIntegerField(
        default=7, help_text="Local hour after which the day's digest is sent."
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    last_digest_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "follow-up settings"
        verbose_name_plural = "follow-up settings"

    def __str__(self) -> str:
        return f"Follow-up settings of {self.user}"

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.time_zone)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        return (now or timezone.now()).astimezone(self.tz).date()

    def get_feed_url(self) -> str:
        return reverse("followup:feed", kwargs={"token": self.feed_token})


class ContactQuerySet(models.QuerySet["Contact"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> ContactQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)

    def check_in_due(self, today: dt.date) -> ContactQuerySet:
        return self.filter(check_in_months__gt=0, next_check_in_on__lte=today)


CHECK_IN_CHOICES = [
    (0, "Off"),
    (1, "Every month"),
    (2, "Every 2 months"),
    (3, "Every 3 months"),
    (4, "Every 4 months"),
    (6, "Every 6 months"),
    (12, "Once a year"),
]


class Contact(models.Model):
    """Someone the candidate met at an interview. Contacts outlive interviews: they are
    the candidate's network, with a gentle check-in every few months (or never)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=120)
    title = models.CharField("job title", max_length=120, blank=True)
    company = models.CharField(max_length=140, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    linkedin_url = models.URLField("LinkedIn profile", max_length=300, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    check_in_months = models.PositiveSmallIntegerField(
        "keep in touch", choices=CHECK_IN_CHOICES, default=3
    )
    next_check_in_on = models.DateField("next check-in", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("email"),
                condition=~Q(email=""),
                name="followup_one_contact_per_email",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("followup:contact", kwargs={"contact_id": self.pk})

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


class InterviewQuerySet(models.QuerySet["Interview"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> InterviewQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)

    def upcoming(self, now: dt.datetime) -> InterviewQuerySet:
        return self.filter(starts_at__gt=now).order_by("starts_at")

    def past(self, now: dt.datetime) -> InterviewQuerySet:
        return self.filter(starts_at__lte=now).order_by("-starts_at")


class Interview(models.Model):
    class Format(models.TextChoices):
        ONSITE = "onsite", "On site"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to hear back"
        REPLIED = "replied", "They replied"
        QUIET = "quiet", "Likely closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews"
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    company_name = models.CharField("company", max_length=140)
    role = models.CharField(max_length=140)
    starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField(max_length=300, blank=True)
    next_steps = models.TextField(blank=True, max_length=2000)
    decision_expected_on = models.DateField(null=True, blank=True)
    job_text = models.TextField(blank=True, max_length=20000)
    strengths = models.CharField(max_length=300, blank=True)
    to_say = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    heard_back_at = models.DateTimeField(null=True, blank=True)
    heard_back_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["owner", "starts_at"], name="followup_interview_owner")]

    def __str__(self) -> str:
        return f"{self.role} at {self.company_name}"

    def get_absolute_url(self) -> str:
        return reverse("followup:interview", kwargs={"interview_id": self.pk})

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> dt.datetime:
        """The start on the clock of the place it happens (the time zone it was entered in)."""
        return self.starts_at.astimezone(zone(self.time_zone))

    @property
    def is_outside_job(self) -> bool:
        return self.application_id is None

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


class Interviewer(models.Model):
    """One person met at one interview, and what was talked about with them there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="interviewers")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="meetings")
    topics = models.TextField(blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "contact"], name="followup_meet_a_person_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} at {self.interview}"


class StepQuerySet(models.QuerySet["Step"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> StepQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(interview__owner_id=user.pk)

    def open(self) -> StepQuerySet:
        return self.filter(state=Step.State.OPEN)

    def due_by(self, day: dt.date) -> StepQuerySet:
        """Open steps due on ``day`` or before (overdue ones included)."""
        return self.open().filter(due_on__lte=day).exclude(kind=Step.Kind.WRAP_UP)

    def coming(self, after: dt.date, until: dt.date) -> StepQuerySet:
        return (
            self.open().filter(due_on__gt=after, due_on__lte=until).exclude(kind=Step.Kind.WRAP_UP)
        )


class Step(models.Model):
    """One dated thing to do after an interview. Generated from the plan rules (plan.py),
    editable (a date the candidate sets is kept when the plan is worked out again), and
    ended by itself when the employer answers."""

    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", "Thank-you email"
        NOTE = "note", "Handwritten note"
        CALL = "call", "Thank-you call"
        LINKEDIN = "linkedin", "LinkedIn connection"
        FOLLOW_UP = "follow_up", "Follow-up email"
        WRAP_UP = "wrap_up", "A month on"

    class State(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        ENDED = "ended", "No longer needed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="steps")
    interviewer = models.ForeignKey(
        Interviewer, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    key = models.CharField(max_length=80, help_text="Which rule made it: kind and person.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    optional = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(db_index=True)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="A deadline within the day, when there is one."
    )
    rescheduled = models.BooleanField(
        default=False, help_text="The candidate chose the date; re-planning keeps it."
    )
    revision = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE.")
    done_at = models.DateTimeField(null=True, blank=True)
    ended_note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "key"], name="followup_one_step_per_rule")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_email(self) -> bool:
        return self.kind in (self.Kind.THANK_YOU, self.Kind.FOLLOW_UP)

    @property
    def person(self) -> Contact | None:
        return self.interviewer.contact if self.interviewer_id and self.interviewer else None

    @property
    def title(self) -> str:
        person = self.person
        name = person.name if person else ""
        titles = {
            self.Kind.THANK_YOU: f"Send a thank-you email to {name}",
            self.Kind.NOTE: "Post a handwritten thank-you note",
            self.Kind.CALL: "Make a short thank-you call",
            self.Kind.LINKEDIN: f"Connect with {name} on LinkedIn",
            self.Kind.FOLLOW_UP: "Send one follow-up email asking for an update",
            self.Kind.WRAP_UP: "If it's still quiet: mark it likely closed, keep in touch",
        }
        return titles[self.Kind(self.kind)]


class DraftQuerySet(models.QuerySet["Draft"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> DraftQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(step__interview__owner_id=user.pk)


class Draft(models.Model):
    """An email to one person for one email step. Written from our templates and the
    recorded facts until the candidate edits it; sent only when they press Send."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="drafts")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="drafts")
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    edited = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "contact"], name="followup_one_draft_each")
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("followup:draft", kwargs={"draft_id": self.pk})
