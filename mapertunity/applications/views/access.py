"""One access check per object type: anyone but the parties gets 404, with no hint."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.jobs.models import Job

from ..models import Application, Conversation


def get_application_for_candidate(
    request: AuthenticatedHttpRequest, application_id: UUID
) -> Application:
    return get_object_or_404(
        Application.objects.for_candidate(request.user).select_related("job__company"),
        pk=application_id,
    )


def get_application_for_employer(
    request: AuthenticatedHttpRequest, application_id: UUID
) -> Application:
    return get_object_or_404(
        Application.objects.for_employer(request.user).select_related(
            "job__company", "candidate__user"
        ),
        pk=application_id,
    )


def get_job_for_employer(request: AuthenticatedHttpRequest, job_id: int) -> Job:
    return get_object_or_404(
        Job.objects.for_employer(request.user).select_related("company"), pk=job_id
    )


def get_conversation_for_user(
    request: AuthenticatedHttpRequest, conversation_id: UUID
) -> Conversation:
    return get_object_or_404(
        Conversation.objects.for_user(request.user).select_related(
            "company", "candidate__user", "application__job"
        ),
        pk=conversation_id,
    )
