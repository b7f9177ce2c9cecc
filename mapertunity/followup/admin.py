"""Staff see follow-up's metadata only: who, when, which state. What a candidate wrote about
the people they met, and their drafts, stay theirs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CoachSettings, Interview, Step


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Interview)
class InterviewAdmin(_ReadOnly):
    list_display = ["id", "owner", "starts_at", "status", "created_at"]
    list_filter = ["status", "format"]
    fields = ["id", "owner", "application", "starts_at", "time_zone", "status", "created_at"]
    readonly_fields = [
        "id",
        "owner",
        "application",
        "starts_at",
        "time_zone",
        "status",
        "created_at",
    ]


@admin.register(Step)
class StepAdmin(_ReadOnly):
    list_display = ["id", "kind", "state", "due_on", "updated_at"]
    list_filter = ["kind", "state"]
    fields = ["id", "interview", "kind", "state", "due_on", "due_at", "revision", "updated_at"]
    readonly_fields = [
        "id",
        "interview",
        "kind",
        "state",
        "due_on",
        "due_at",
        "revision",
        "updated_at",
    ]


@admin.register(CoachSettings)
class CoachSettingsAdmin(_ReadOnly):
    """The feed token is a secret: never shown here."""

    list_display = ["user", "time_zone", "digest_hour", "last_digest_on"]
    fields = ["user", "time_zone", "digest_hour", "last_digest_on", "created_at"]
    readonly_fields = ["user", "time_zone", "digest_hour", "last_digest_on", "created_at"]
