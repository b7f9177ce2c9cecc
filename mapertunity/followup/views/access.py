"""One access check per object type: anyone but the owner gets 404, with no hint."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.applications.models import Application

from ..models import Contact, Draft, Interview, Step


def get_interview_for_owner(request: AuthenticatedHttpRequest, interview_id: UUID) -> Interview:
    return get_object_or_404(
        Interview.objects.for_user(request.user).select_related("application__job__company"),
        pk=interview_id,
    )


def get_step_for_owner(request: AuthenticatedHttpRequest, step_id: UUID) -> Step:
    return get_object_or_404(
        Step.objects.for_user(request.user).select_related("interview", "interviewer__contact"),
        pk=step_id,
    )


def get_draft_for_owner(request: AuthenticatedHttpRequest, draft_id: UUID) -> Draft:
    return get_object_or_404(
        Draft.objects.for_user(request.user).select_related(
            "step__interview__owner", "step__interviewer__contact", "contact"
        ),
        pk=draft_id,
    )


def get_contact_for_owner(request: AuthenticatedHttpRequest, contact_id: UUID) -> Contact:
    return get_object_or_404(Contact.objects.for_user(request.user), pk=contact_id)


def get_application_for_candidate(
    request: AuthenticatedHttpRequest, application_id: UUID
) -> Application:
    """An application of this candidate's, to record an interview from."""
    return get_object_or_404(
        Application.objects.for_candidate(request.user).select_related("job__company"),
        pk=application_id,
    )
