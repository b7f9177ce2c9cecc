"""Staff see applications' metadata, and a conversation's messages only once it is reported."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mapertunity.moderation.models import Report

from .models import Application, Conversation, Message, ScreeningQuestion, StageEvent


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "stage", "actor", "by_employer", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: history is append-only and belongs to the candidate and the company."""

    list_display = ["job", "candidate", "stage", "created_at"]
    list_filter = ["stage"]
    search_fields = ["job__title", "job__company__name"]
    inlines = [StageEventInline]
    fields = ("job", "candidate", "stage", "created_at", "decision_expected_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    readonly_fields = ("sender", "body", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        # Private between the two parties, unless one of them reported it.
        return super().get_queryset(request).filter(conversation__reported_at__isnull=False)


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    fk_name = "conversation"
    readonly_fields = ("reporter", "reason", "details", "message", "created_at", "outcome")
    fields = (*readonly_fields, "resolved_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Reported conversations only: staff may read a thread once a party asked them to."""

    list_display = ["subject", "company", "status", "reported_at"]
    inlines = [ReportInline, MessageInline]
    fields = ("subject", "company", "candidate", "status", "reported_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conversation]:
        return super().get_queryset(request).filter(reported_at__isnull=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(ScreeningQuestion)
