"""Every interview, step, draft, contact and feed URL answers 404 to anyone but its owner.

The registry names every follow-up route that takes an object; a route added without an
entry fails ``test_every_object_route_is_in_the_registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse

from mapertunity.followup import actions
from mapertunity.followup.models import CoachSettings, Contact, Draft, Interview, Step
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .helpers import local, record

pytestmark = pytest.mark.django_db


@dataclass
class World:
    interview: Interview
    step: Step
    draft: Draft
    contact: Contact
    coach: CoachSettings


@dataclass(frozen=True)
class Route:
    method: str
    kwargs: Callable[[World], dict[str, Any]]
    data: dict[str, str] | None = None
    signed_in: bool = True


REGISTRY: dict[str, Route] = {
    "record_for_application": Route(
        "get", lambda w: {"application_id": w.interview.application_id}
    ),
    "interview": Route("get", lambda w: {"interview_id": w.interview.pk}),
    "edit": Route("get", lambda w: {"interview_id": w.interview.pk}),
    "notes": Route("post", lambda w: {"interview_id": w.interview.pk}, {"to_say": "x"}),
    "replied": Route("post", lambda w: {"interview_id": w.interview.pk}),
    "delete": Route("post", lambda w: {"interview_id": w.interview.pk}),
    "download": Route("get", lambda w: {"interview_id": w.interview.pk}),
    "step": Route("post", lambda w: {"step_id": w.step.pk}, {"state": "done"}),
    "draft": Route(
        "post",
        lambda w: {"draft_id": w.draft.pk},
        {"intent": "send_anyway", "to": "x@example.com", "subject": "s", "body": "b"},
    ),
    "contact": Route("post", lambda w: {"contact_id": w.contact.pk}, {"name": "Taken over"}),
    "checked_in": Route("post", lambda w: {"contact_id": w.contact.pk}),
    "delete_contact": Route("post", lambda w: {"contact_id": w.contact.pk}),
    "feed": Route("get", lambda w: {"token": w.coach.feed_token}, signed_in=False),
}
OWN = {"today", "record", "contacts", "reminders", "rotate_feed"}
"""Routes with no object in the URL: each shows or changes the signed-in user's own."""


def test_every_object_route_is_in_the_registry() -> None:
    namespace = get_resolver().namespace_dict["followup"][1]
    names = {name for name in namespace.reverse_dict if isinstance(name, str)}
    assert names - OWN == set(REGISTRY)


@pytest.fixture
def world(company) -> World:
    owner = candidate_with_resume("owner")
    application = apply_to(make_job(company), owner)
    interview = record(
        owner.user, starts_at=local("America/New_York", 2025, 6, 3, 10), application=application
    )
    step = interview.steps.get(kind="thank_you", interviewer__contact__name="Ana Ruiz")
    mail.outbox.clear()
    return World(
        interview=interview,
        step=step,
        draft=step.drafts.get(),
        contact=step.interviewer.contact,
        coach=CoachSettings.objects.get(user=owner.user),
    )


def _unchanged(world: World) -> None:
    assert Interview.objects.filter(pk=world.interview.pk, status="waiting").exists()
    world.step.refresh_from_db()
    world.draft.refresh_from_db()
    world.contact.refresh_from_db()
    assert world.step.state == "open" and world.draft.sent_at is None
    assert world.contact.name == "Ana Ruiz" and world.contact.next_check_in_on is None
    assert mail.outbox == []


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_another_user_gets_404(client: Client, world: World, other_employer, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(f"followup:{name}", kwargs=route.kwargs(world))
    if not route.signed_in:
        # The feed's secret is its only key: once revoked, its old address is nobody's.
        actions.rotate_feed(coach=world.coach)
    client.force_login(candidate_with_resume("nosy").user)
    response = getattr(client, route.method)(url, route.data or {})
    assert response.status_code == 404, (name, response.status_code)
    if route.signed_in:
        world.coach.refresh_from_db()
        client.force_login(other_employer)
        response = getattr(client, route.method)(url, route.data or {})
        assert response.status_code == 404, (name, "employer", response.status_code)
    _unchanged(world)


@pytest.mark.parametrize("name", sorted(n for n, r in REGISTRY.items() if r.signed_in))
def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, world: World, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(f"followup:{name}", kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data or {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    _unchanged(world)


@pytest.mark.parametrize("name", sorted(OWN))
def test_pages_of_ones_own_need_a_sign_in(client: Client, name: str) -> None:
    method = "post" if name == "rotate_feed" else "get"
    response = getattr(client, method)(reverse(f"followup:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_feed_address_one_character_off_is_a_404(client: Client, world: World) -> None:
    token = world.coach.feed_token
    wrong = ("A" if token[0] != "A" else "B") + token[1:]
    client.force_login(world.interview.owner)
    assert client.get(reverse("followup:feed", kwargs={"token": wrong})).status_code == 404


def test_the_owner_reaches_every_route(client: Client, world: World) -> None:
    client.force_login(world.interview.owner)
    for name in ("interview", "edit", "download", "record_for_application"):
        route = REGISTRY[name]
        url = reverse(f"followup:{name}", kwargs=route.kwargs(world))
        assert client.get(url).status_code == 200, name
    assert client.get(world.draft.get_absolute_url()).status_code == 200
    assert client.get(world.contact.get_absolute_url()).status_code == 200
