"""Every application and conversation URL answers 404 to anyone but its parties.

The registry below names every route of the applications app that takes an object; a
route added without an entry fails ``test_every_object_route_is_in_the_registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from mapertunity.applications import actions
from mapertunity.applications.models import Application
from tests.helpers import make_job

from .helpers import apply_to, candidate_with_resume

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    method: str
    kwargs: Callable[[Application], dict[str, Any]]
    data: dict[str, str] | None = None


def _application(a: Application) -> dict[str, Any]:
    return {"application_id": a.pk}


def _conversation(a: Application) -> dict[str, Any]:
    return {"conversation_id": a.conversation.pk}


def _job(a: Application) -> dict[str, Any]:
    return {"job_id": a.job_id}


REGISTRY: dict[str, Route] = {
    "detail": Route("get", _application),
    "withdraw": Route("post", _application),
    "employer_detail": Route("get", _application),
    "move": Route("post", _application, {"to": "reviewing"}),
    "add_note": Route("post", _application, {"text": "hi"}),
    "resume": Route("get", _application),
    "pipeline": Route("get", _job),
    "questions": Route("get", _job),
    "conversation": Route("get", _conversation),
    "answer_invitation": Route("post", _conversation, {"answer": "accept"}),
    "block": Route("post", _conversation),
    "report": Route("post", _conversation, {"reason": "spam"}),
}
PUBLIC_OR_OWN = {"apply", "join", "mine", "inbox", "invite", "responsiveness_help"}
"""Routes with no object in the URL (or one chosen by handle, checked in test_messages)."""


def test_every_object_route_is_in_the_registry() -> None:
    namespace = get_resolver().namespace_dict["applications"][1]
    names = {name for name in namespace.reverse_dict if isinstance(name, str)}
    assert names - PUBLIC_OR_OWN == set(REGISTRY)


@pytest.fixture
def application(company) -> Application:
    a = apply_to(make_job(company), candidate_with_resume("the-applicant"))
    actions.send_message(conversation=a.conversation, sender=a.candidate.user, body="Hello")
    return a


@pytest.mark.parametrize("name", sorted(REGISTRY))
@pytest.mark.parametrize("who", ["other_candidate", "other_employer"])
def test_another_user_gets_404(
    client: Client, application, other_employer, name: str, who: str
) -> None:
    intruder = other_employer if who == "other_employer" else candidate_with_resume("nosy").user
    route = REGISTRY[name]
    url = reverse(f"applications:{name}", kwargs=route.kwargs(application))
    client.force_login(intruder)
    response = getattr(client, route.method)(url, route.data or {})
    assert response.status_code == 404, (name, who, response.status_code)
    application.refresh_from_db()
    assert application.stage == "applied" and not application.notes.exists()
    assert not application.conversation.is_blocked and application.conversation.reported_at is None


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, application, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(f"applications:{name}", kwargs=route.kwargs(application))
    response = getattr(client, route.method)(url, route.data or {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_candidate_cannot_use_the_employers_routes(client: Client, application) -> None:
    client.force_login(application.candidate.user)
    for name in ("employer_detail", "pipeline", "resume", "questions"):
        route = REGISTRY[name]
        url = reverse(f"applications:{name}", kwargs=route.kwargs(application))
        assert client.get(url).status_code == 404, name
    move = reverse("applications:move", kwargs=_application(application))
    assert client.post(move, {"to": "hired"}).status_code == 404
