"""Every alert route answers 404 to anyone but the alert's owner, and saved jobs are
nobody else's business. The registry names every alerts route that takes an object; a
route added without an entry fails ``test_every_object_route_is_in_the_registry``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse

from mapertunity.accounts.models import User
from mapertunity.alerts import actions
from mapertunity.alerts.models import Alert, SavedJob
from tests.helpers import make_job

from .helpers import make_alert, make_seeker

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    method: str
    kwargs: Callable[[Alert], dict[str, Any]]
    data: dict[str, str] | None = None
    signed_in: bool = True


REGISTRY: dict[str, Route] = {
    "edit": Route("get", lambda a: {"alert_id": a.pk}),
    "pause": Route("post", lambda a: {"alert_id": a.pk}, {"paused": "1"}),
    "delete": Route("post", lambda a: {"alert_id": a.pk}),
    "rotate_feed": Route("post", lambda a: {"alert_id": a.pk}),
    "revoke_feed": Route("post", lambda a: {"alert_id": a.pk}),
    "feed": Route("get", lambda a: {"token": a.feed_token}, signed_in=False),
}
OWN = {"list", "create", "saved", "save_job", "unsubscribe"}
"""Routes with no owned object in the URL: the signed-in user's own things (saving a job
names a public job), or a signed one-click link (tested in test_digest)."""


def test_every_object_route_is_in_the_registry() -> None:
    namespace = get_resolver().namespace_dict["alerts"][1]
    names = {name for name in namespace.reverse_dict if isinstance(name, str)}
    assert names - OWN == set(REGISTRY)


@pytest.fixture
def owner() -> User:
    return make_seeker("owner")


@pytest.fixture
def alert(owner: User) -> Alert:
    alert = make_alert(owner, name="Mine", box=(-98.2, 29.9, -97.2, 30.8))
    mail.outbox.clear()
    return alert


def _unchanged(alert: Alert, token: str | None) -> None:
    fresh = Alert.objects.get(pk=alert.pk)
    assert fresh.name == "Mine" and not fresh.is_paused and fresh.feed_token == token


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_another_user_gets_404(client: Client, alert: Alert, other_employer, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(f"alerts:{name}", kwargs=route.kwargs(alert))
    token = alert.feed_token
    if not route.signed_in:
        # The feed's secret is its only key: once made anew, its old address is nobody's.
        token = actions.rotate_feed(alert=alert).feed_token
    for intruder in (make_seeker("nosy"), other_employer):
        client.force_login(intruder)
        response = getattr(client, route.method)(url, route.data or {})
        assert response.status_code == 404, (name, response.status_code)
    _unchanged(alert, token)


@pytest.mark.parametrize("name", sorted(n for n, r in REGISTRY.items() if r.signed_in))
def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, alert: Alert, name: str) -> None:
    route = REGISTRY[name]
    url = reverse(f"alerts:{name}", kwargs=route.kwargs(alert))
    response = getattr(client, route.method)(url, route.data or {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    _unchanged(alert, alert.feed_token)


@pytest.mark.parametrize("name", ["list", "create", "saved"])
def test_pages_of_ones_own_need_a_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(f"alerts:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_users_alerts_are_not_listed(client: Client, alert: Alert) -> None:
    client.force_login(make_seeker("nosy"))
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Mine" not in page and str(alert.pk) not in page
    assert "No alerts yet" in page


def test_the_owner_reaches_their_alert(client: Client, alert: Alert, owner: User) -> None:
    client.force_login(owner)
    assert client.get(alert.get_absolute_url()).status_code == 200
    assert client.get(reverse("alerts:feed", args=[alert.feed_token])).status_code == 200


def test_saved_jobs_are_private_and_only_their_owner_can_remove_them(
    client: Client, company, owner: User
) -> None:
    job = make_job(company, title="Bookmarked Role")
    actions.save_job(user=owner, job=job)
    nosy = make_seeker("nosy")
    client.force_login(nosy)
    assert "Bookmarked Role" not in client.get(reverse("alerts:saved")).content.decode()
    # Removing "their" bookmark of the job touches only their own (none): mine stays.
    client.post(reverse("alerts:save_job", args=[job.pk]), {"action": "remove"})
    assert SavedJob.objects.filter(user=owner, job=job).exists()
    assert not SavedJob.objects.filter(user=nosy).exists()


def test_a_job_that_is_not_live_cannot_be_saved(client: Client, company, owner: User) -> None:
    draft = make_job(company, status="draft")
    client.force_login(owner)
    response = client.post(reverse("alerts:save_job", args=[draft.pk]), {"action": "save"})
    assert response.status_code == 404
    assert not SavedJob.objects.exists()
