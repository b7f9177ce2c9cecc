"""Reports from users and the staff's review queue of postings.

A report names a job, or a conversation (and the message in it that prompted it). Open
reports are those no staff member resolved yet; reports on one job from
``JOB_REPORTS_TO_HIDE`` different accounts hide it until staff decide. The review queue
is the jobs waiting for staff (:class:`JobReview`, a view of ``jobs.Job``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mapertunity.jobs.models import Job, JobQuerySet


class Reason(models.TextChoices):
    SCAM = "scam", "A scam: asks for money, bank or ID details, or seems fraudulent"
    FAKE = "fake", "Not a real job, or the company isn't who it says it is"
    MISLEADING = "misleading", "The pay or details are misleading"
    OFFENSIVE = "offensive", "Offensive or discriminatory"
    HARASSMENT = "harassment", "Harassment or abuse"
    SPAM = "spam", "Spam, or posted again and again"
    OTHER = "other", "Something else"


JOB_REASONS = [
    Reason.SCAM,
    Reason.FAKE,
    Reason.MISLEADING,
    Reason.OFFENSIVE,
    Reason.SPAM,
    Reason.OTHER,
]
MESSAGE_REASONS = [Reason.SCAM, Reason.HARASSMENT, Reason.OFFENSIVE, Reason.SPAM, Reason.OTHER]


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    class Outcome(models.TextChoices):
        KEPT = "kept", "Looked into; the posting stays"
        SENT_BACK = "sent_back", "The employer was asked for changes"
        DISMISSED = "dismissed", "Dismissed"
        ACTED = "acted", "Acted on"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    conversation = models.ForeignKey(
        "applications.Conversation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    message = models.ForeignKey(
        "applications.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The message that prompted a report on a conversation, if one was named.",
    )
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.OTHER)
    details = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(job__isnull=False, conversation__isnull=True)
                | Q(job__isnull=True, conversation__isnull=False),
                name="report_names_a_job_or_a_conversation",
            ),
            models.UniqueConstraint(
                fields=["job", "reporter"],
                condition=Q(resolved_at__isnull=True, job__isnull=False),
                name="one_open_report_per_job_and_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.job or self.conversation}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class JobReviewQuerySet(JobQuerySet):
    def queue(self) -> JobReviewQuerySet:
        """Jobs staff must decide on: held, first postings, hidden, or reported."""
        reported = Report.objects.open().filter(job=OuterRef("pk"))
        return self.filter(
            Q(status__in=[Job.Status.PENDING, Job.Status.HIDDEN])
            | Q(Exists(reported), status=Job.Status.PUBLISHED)
        )


class JobReview(Job):
    """A job as staff review it: the admin's review queue."""

    objects = JobReviewQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = "posting to review"
        verbose_name_plural = "postings to review"
