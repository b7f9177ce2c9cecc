"""An employer's applications with a token: list them, read one, move its stage.

Moves go through ``applications.actions.move``, so the candidate is emailed, the event is
recorded (who, when) and the company's responsiveness figures count it, as on the site.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from mapertunity.applications import actions
from mapertunity.applications.models import Application
from mapertunity.applications.stages import EMPLOYER_MOVES, Stage
from mapertunity.core.links import absolute_url

from .auth import api_token, token_auth, writer
from .errors import TOKEN, WRITE, APIError, responses
from .map import GET
from .pagination import CURSOR, LIMIT, keyset_page
from .text import NO_NUL

router = Router(tags=["employer applications"], auth=token_auth)

StageCode = Literal[tuple(Stage.values)]
MOVES = sorted({s.value for targets in EMPLOYER_MOVES.values() for s in targets})
MoveCode = Literal[tuple(MOVES)]


class CandidateOut(Schema):
    name: str
    email: str
    phone: str
    headline: str


class ApplicationOut(Schema):
    id: uuid.UUID
    job_id: int
    job_title: str
    stage: StageCode
    stage_label: str
    can_move_to: list[MoveCode] = Field(..., description="Stages one move may reach now.")
    candidate: CandidateOut
    cover_note: str
    next_step: str
    applied_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(..., description="The application's page on the site (signed in).")


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next_cursor: str | None


def application_out(a: Application) -> dict[str, Any]:
    profile = a.candidate
    return {
        "id": a.pk,
        "job_id": a.job_id,
        "job_title": a.job.title,
        "stage": a.stage,
        "stage_label": a.get_stage_display(),
        "can_move_to": [s.value for s in EMPLOYER_MOVES.get(a.stage, ())],
        "candidate": {
            "name": profile.user.display_name,
            "email": profile.user.email,
            "phone": profile.phone,
            "headline": profile.headline,
        },
        "cover_note": a.cover_note,
        "next_step": a.next_step,
        "applied_at": a.created_at,
        "updated_at": a.updated_at,
        "url": absolute_url(a.get_employer_url()),
    }


def _applications(request: HttpRequest) -> Any:
    token = api_token(request)
    return Application.objects.filter(job__company=token.company).select_related(
        "job", "candidate__user"
    )


def _get_application_for_token(request: HttpRequest, application_id: uuid.UUID) -> Application:
    """The application if it was made to one of the token's company's jobs; else 404."""
    found = _applications(request).filter(pk=application_id).first()
    if found is None:
        raise APIError(404, "Your company has no application with this id.")
    return found


class ListParams(Schema):
    cursor: str = CURSOR
    limit: int = LIMIT
    job_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this job's.")
    stage: StageCode | None = Field(None, description="Only applications at this stage.")


@router.api_operation(
    GET,
    "/applications",
    response=responses({200: ApplicationPage}, *TOKEN),
    summary="Applications to your company's jobs",
)
def list_applications(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Newest first. A `job_id` of another company's job simply matches nothing."""
    rows = _applications(request)
    if params.job_id is not None:
        rows = rows.filter(job_id=params.job_id)
    if params.stage:
        rows = rows.filter(stage=params.stage)
    page, next_cursor = keyset_page(
        rows, cursor=params.cursor, limit=params.limit, kind="applications"
    )
    return {"items": [application_out(a) for a in page], "next_cursor": next_cursor}


@router.api_operation(
    GET,
    "/applications/{application_id}",
    response=responses({200: ApplicationOut}, 404, *TOKEN),
    summary="One application",
)
def get_application(request: HttpRequest, application_id: uuid.UUID) -> Any:
    return application_out(_get_application_for_token(request, application_id))


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to: MoveCode
    note: str = Field(
        "",
        max_length=2000,
        pattern=NO_NUL,
        description="A message to the candidate, emailed with the move.",
    )
    next_step: str | None = Field(
        None, max_length=300, pattern=NO_NUL, description="What happens next."
    )


@router.post(
    "/applications/{application_id}/stage",
    response=responses({200: ApplicationOut}, 404, 409, *WRITE),
    summary="Move an application to another stage",
)
def move_application(request: HttpRequest, application_id: uuid.UUID, body: MoveIn) -> Any:
    """One step of the pipeline, as on the site: recorded with who and when, and the
    candidate is emailed. A 409 when the application can't go there from where it is
    (`can_move_to` lists where it can)."""
    token = writer(request)
    application = _get_application_for_token(request, application_id)
    try:
        actions.move(
            application=application,
            to=body.to,
            actor=token.user,
            note=body.note,
            next_step=body.next_step,
        )
    except ValidationError as error:
        raise APIError(409, " ".join(error.messages)) from None
    return application_out(_get_application_for_token(request, application_id))
