from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from . import actions
from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Status changes go through the job's transitions (the actions below), never a raw
    edit of the field, so posting dates and the map stay consistent. Postings waiting
    for a decision are under Moderation › Review queue."""

    list_display = ["title", "company", "city", "country", "status", "posted_at", "valid_through"]
    list_filter = ["status", "workplace", "employment_type", "country"]
    search_fields = ["title", "company__name", "city"]
    raw_id_fields = ["company", "created_by"]
    date_hierarchy = "posted_at"
    readonly_fields = [
        "status",
        "posted_at",
        "confirmed_open_at",
        "screen_score",
        "review_reasons",
        "reviewed_at",
        "reviewed_by",
        "morton_key",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_jobs", "close_jobs"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def _transition(self, request: HttpRequest, jobs: QuerySet[Job], *, close: bool) -> None:
        done, refused = 0, []
        for job in jobs:
            try:
                actions.close(job=job) if close else actions.publish(job=job)
            except ValidationError as error:
                refused.append(f"“{job.title}”: {error.messages[0]}")
            else:
                done += 1
        verb = "closed" if close else "published"
        self.message_user(request, f"{done} job(s) {verb}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Publish the selected jobs")
    def publish_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        self._transition(request, queryset, close=False)

    @admin.action(description="Close the selected jobs")
    def close_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        self._transition(request, queryset, close=True)
