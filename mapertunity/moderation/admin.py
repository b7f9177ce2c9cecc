"""The review queue and the reports, where staff decide.

The queue lists postings waiting for staff (a new employer's first, any the scam screen
held, any hidden after reports) and live ones with open reports, oldest first, with the
screen's reasons. Opening one shows the posting as its author wrote it and a decision:
approve, or send back with a reason the employer sees.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from mapertunity.accounts.models import User
from mapertunity.jobs.models import Job

from . import actions
from .forms import ReviewForm
from .models import JobReview, Reason, Report

QUEUE_STATES: dict[str, str] = {
    Job.Status.PENDING: "Waiting for review",
    Job.Status.HIDDEN: "Hidden after reports",
    Job.Status.PUBLISHED: "Live, reported",
}
"""What each status in the queue means for the posting, in staff's words."""

REASON_SHORT = {
    Reason.SCAM: "Scam",
    Reason.FAKE: "Fake job or company",
    Reason.MISLEADING: "Misleading",
    Reason.OFFENSIVE: "Offensive",
    Reason.HARASSMENT: "Harassment",
    Reason.SPAM: "Spam",
    Reason.OTHER: "Something else",
}
"""A report's reason in a word or two, for the list's narrow column."""


class QueueStateFilter(admin.SimpleListFilter):
    """Only the states a posting in the queue can be in (not every job status)."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(status), label) for status, label in QUEUE_STATES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(status=self.value()) if self.value() else queryset


class OpenReportFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Open"), ("no", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(resolved_at__isnull=self.value() == "yes")
        return queryset


@admin.register(JobReview)
class JobReviewAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = [
        "short_title",
        "company_name",
        "state",
        "screen",
        "why",
        "open_reports",
        "waiting_since",
    ]
    list_display_links = ["short_title"]
    list_filter = [QueueStateFilter]
    search_fields = ["title", "company__name"]
    ordering = ["submitted_at", "pk"]
    actions = ["approve_selected"]
    readonly_fields = [
        "title",
        "company_info",
        "author",
        "status",
        "screen_score",
        "reasons",
        "pay",
        "place_label",
        "description_text",
        "reports_list",
        "review_note",
    ]
    fieldsets = [
        ("Posting", {"fields": ["title", "company_info", "author", "pay", "place_label"]}),
        ("Why it is here", {"fields": ["status", "screen_score", "reasons", "reports_list"]}),
        ("As the employer wrote it", {"fields": ["description_text"]}),
        ("Decision", {"fields": ["decision", "reason", "review_note"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[JobReview]:
        return (
            JobReview.objects.queue()
            .select_related("company", "created_by")
            .annotate(report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        return super().changelist_view(request, {"title": "Review queue", **(extra_context or {})})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Posting", ordering="title")
    def short_title(self, job: JobReview) -> str:
        return Truncator(job.title).chars(60)

    @admin.display(description="Company", ordering="company__name")
    def company_name(self, job: JobReview) -> str:
        company = job.company
        marks = ["verified" if company.is_verified else "unverified"]
        if company.is_new_employer:
            marks.append("new")
        return f"{company.name} ({', '.join(marks)})"

    @admin.display(description="Status", ordering="status")
    def state(self, job: JobReview) -> str:
        return QUEUE_STATES.get(job.status, job.get_status_display())

    @admin.display(description="Scam screen", ordering="screen_score")
    def screen(self, job: JobReview) -> str:
        """The screen's score from 0 (fine) to 1 (almost surely a scam)."""
        return "not screened" if job.screen_score is None else f"{job.screen_score:.2f} of 1"

    @admin.display(description="Waiting since", ordering="submitted_at")
    def waiting_since(self, job: JobReview) -> Any:
        return job.submitted_at or "—"

    @admin.display(description="Why it is here")
    def why(self, job: JobReview) -> str:
        """The reasons' headings; the quotes that back them are on the posting's page."""
        heads = [reason.split(": “")[0].split(" (")[0] for reason in job.review_reasons]
        return "; ".join(heads) or "Reported"

    @admin.display(description="Open reports", ordering="report_count")
    def open_reports(self, job: JobReview) -> int:
        return int(getattr(job, "report_count", 0))

    @admin.display(description="Company")
    def company_info(self, job: JobReview) -> str:
        company = job.company
        return format_html(
            '<a href="{}">{}</a> · {} · website: {} · headquarters: {}',
            reverse("admin:companies_company_change", args=[company.pk]),
            company.name,
            company.verified_label or "not verified",
            company.website or "none",
            company.hq_label or "not given",
        )

    @admin.display(description="Posted by")
    def author(self, job: JobReview) -> str:
        user = job.created_by
        if user is None:
            return "—"
        confirmed = "confirmed" if user.has_verified_email else "NOT confirmed"
        return f"{user.email} ({confirmed}; joined {user.date_joined:%Y-%m-%d})"

    @admin.display(description="Reasons")
    def reasons(self, job: JobReview) -> str:
        if not job.review_reasons:
            return "—"
        return format_html(
            '<ul class="screen-reasons">{}</ul>',
            format_html_join("", "<li>{}</li>", ((reason,) for reason in job.review_reasons)),
        )

    @admin.display(description="Description")
    def description_text(self, job: JobReview) -> str:
        return format_html('<div class="review-description">{}</div>', job.description)

    @admin.display(description="Open reports")
    def reports_list(self, job: JobReview) -> str:
        reports = job.reports.open().select_related("reporter")
        if not reports:
            return "None"
        return format_html(
            '<ul class="screen-reasons">{}</ul>',
            format_html_join(
                "",
                "<li>{} — {} ({}, {})</li>",
                (
                    (
                        r.get_reason_display(),
                        r.details or "no details",
                        r.reporter.email,
                        f"{r.created_at:%Y-%m-%d %H:%M}",
                    )
                    for r in reports
                ),
            ),
        )

    def save_model(
        self, request: HttpRequest, obj: JobReview, form: ModelForm, change: bool
    ) -> None:
        staff = request.user
        assert isinstance(staff, User)
        decision = form.cleaned_data.get("decision")
        fresh = JobReview.objects.select_related("company").get(pk=obj.pk)
        try:
            if decision == ReviewForm.APPROVE:
                actions.approve_job(job=fresh, by=staff)
                self.message_user(request, f"“{fresh.title}” is on the site.", messages.SUCCESS)
            elif decision == ReviewForm.REJECT:
                actions.reject_job(job=fresh, by=staff, reason=form.cleaned_data["reason"])
                self.message_user(
                    request, f"“{fresh.title}” was sent back to the employer.", messages.SUCCESS
                )
        except ValidationError as error:  # someone else decided first
            self.message_user(request, error.messages[0], messages.WARNING)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        """Nothing related is edited here."""

    @admin.action(description="Approve the selected postings")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[JobReview]) -> None:
        staff = request.user
        assert isinstance(staff, User)
        done = 0
        for job in queryset.select_related("company"):
            try:
                actions.approve_job(job=job, by=staff)
            except ValidationError as error:
                self.message_user(request, f"“{job.title}”: {error.messages[0]}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} posting(s) approved.", messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Every report, jobs' and conversations'; a reported conversation can be read in full
    under Applications › Conversations."""

    list_display = ["reported", "reason_short", "target", "reported_by", "resolved", "outcome"]
    list_filter = [OpenReportFilter, "reason", "outcome"]
    search_fields = ["details", "reporter__email", "job__title"]
    ordering = ["resolved_at", "-created_at"]
    readonly_fields = [
        "reporter",
        "reason",
        "details",
        "target",
        "message_text",
        "created_at",
        "resolved_at",
        "resolved_by",
        "outcome",
    ]
    fields = list(readonly_fields)
    actions = ["dismiss_selected", "mark_acted_on"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).select_related("job", "conversation", "reporter")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        return super().changelist_view(request, {"title": "Reports", **(extra_context or {})})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Reported", ordering="created_at")
    def reported(self, report: Report) -> Any:
        return report.created_at

    @admin.display(description="Reason", ordering="reason")
    def reason_short(self, report: Report) -> str:
        """A word or two in the column; the reporter's full choice on hover."""
        reason = Reason(report.reason)
        return format_html('<span title="{}">{}</span>', reason.label, REASON_SHORT[reason])

    @admin.display(description="Reported by", ordering="reporter__email")
    def reported_by(self, report: Report) -> str:
        return report.reporter.email

    @admin.display(description="Resolved", ordering="resolved_at")
    def resolved(self, report: Report) -> Any:
        return report.resolved_at or "Not yet"

    @admin.display(description="About")
    def target(self, report: Report) -> str:
        if report.job_id is not None:
            return format_html(
                'Job: <a href="{}">{}</a>',
                reverse("admin:moderation_jobreview_change", args=[report.job_id])
                if report.job is not None and report.job.status != "draft"
                else "#",
                Truncator(str(report.job)).chars(60),
            )
        return format_html(
            'Conversation: <a href="{}">{}</a>',
            reverse("admin:applications_conversation_change", args=[report.conversation_id]),
            Truncator(str(report.conversation)).chars(60),
        )

    @admin.display(description="Reported message")
    def message_text(self, report: Report) -> str:
        return report.message.body if report.message is not None else "—"

    def _resolve(self, request: HttpRequest, queryset: QuerySet[Report], outcome: str) -> None:
        staff = request.user
        assert isinstance(staff, User)
        done = actions.resolve_reports(reports=list(queryset), by=staff, outcome=outcome)
        self.message_user(request, f"{done} report(s) closed.", messages.SUCCESS)

    @admin.action(description="Dismiss the selected reports")
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._resolve(request, queryset, Report.Outcome.DISMISSED)

    @admin.action(description="Mark the selected reports as acted on")
    def mark_acted_on(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._resolve(request, queryset, Report.Outcome.ACTED)
