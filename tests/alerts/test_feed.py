"""An alert's Atom feed at a secret address: its matches; a wrong or revoked token is 404."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from mapertunity.alerts import actions

from .helpers import job_at, make_alert, make_seeker

pytestmark = pytest.mark.django_db


def feed_url(token: str) -> str:
    return reverse("alerts:feed", args=[token])


def test_the_feed_serves_the_jobs_the_alert_matches(client: Client, company) -> None:
    inside = job_at(company, -97.70, 30.30, title="Night Nurse")
    job_at(company, -98.10, 30.70, title="Corner Nurse")  # in the triangle's box, not in it
    job_at(company, -97.70, 30.30, title="Forklift Driver")  # not a nurse
    alert = make_alert(
        make_seeker(),
        name="Nursing",
        query="q=nurse",
        polygon=[(-98.2, 30.0), (-97.2, 30.0), (-97.7, 30.8)],
    )
    response = client.get(feed_url(alert.feed_token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Mapertunity: jobs for “Nursing”"
    assert [entry.link for entry in feed.entries] == [
        f"http://127.0.0.1:8000{inside.get_absolute_url()}"
    ]


def test_a_wrong_token_is_a_404(client: Client) -> None:
    alert = make_alert(make_seeker())
    token = alert.feed_token
    wrong = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(feed_url(wrong)).status_code == 404


def test_a_revoked_feed_is_a_404_and_a_new_address_works(client: Client) -> None:
    alert = make_alert(make_seeker())
    old = alert.feed_token
    actions.revoke_feed(alert=alert)
    assert client.get(feed_url(old)).status_code == 404
    actions.rotate_feed(alert=alert)
    assert alert.feed_token != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(alert.feed_token)).status_code == 200


def test_an_owner_can_turn_the_feed_off_and_make_a_new_one(client: Client) -> None:
    seeker = make_seeker()
    alert = make_alert(seeker)
    old = alert.feed_token
    client.force_login(seeker)
    client.post(reverse("alerts:revoke_feed", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.feed_token is None
    assert "The feed is off." in client.get(alert.get_absolute_url()).content.decode()
    client.post(reverse("alerts:rotate_feed", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.feed_token and alert.feed_token != old
    assert alert.feed_token in client.get(alert.get_absolute_url()).content.decode()


def test_a_deactivated_owners_feed_is_a_404(client: Client) -> None:
    seeker = make_seeker()
    alert = make_alert(seeker)
    seeker.is_active = False
    seeker.save()
    assert client.get(feed_url(alert.feed_token)).status_code == 404
