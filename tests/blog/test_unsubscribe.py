"""Leaving the list: a confirm page for people, one click (RFC 8058) for mail apps."""

import pytest
from django.test import Client

from mapertunity.blog.models import Subscriber
from mapertunity.blog.tokens import unsubscribe_token

from .helpers import make_subscriber

pytestmark = pytest.mark.django_db


def test_the_link_asks_before_unsubscribing(client: Client) -> None:
    subscriber = make_subscriber("reader@example.org")
    response = client.get(f"/blog/unsubscribe/{unsubscribe_token(subscriber)}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unsubscribe from the blog?" in html and "reader@example.org" in html
    assert Subscriber.objects.confirmed().exists()


def test_the_button_unsubscribes(client: Client) -> None:
    subscriber = make_subscriber("reader@example.org")
    response = client.post(f"/blog/unsubscribe/{unsubscribe_token(subscriber)}/")
    assert "You're unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and not subscriber.is_confirmed


def test_a_mail_apps_one_click_post_needs_no_csrf_token() -> None:
    subscriber = make_subscriber("reader@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/blog/unsubscribe/{unsubscribe_token(subscriber)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.confirmed().exists()


def test_unsubscribing_twice_is_fine(client: Client) -> None:
    subscriber = make_subscriber("reader@example.org")
    url = f"/blog/unsubscribe/{unsubscribe_token(subscriber)}/"
    client.post(url)
    first = Subscriber.objects.get().unsubscribed_at
    assert client.post(url).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at == first


def test_a_tampered_link_unsubscribes_nobody(client: Client) -> None:
    victim = make_subscriber("victim@example.org")
    token = unsubscribe_token(victim)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), victim.key.hex, "x"):
        response = client.post(f"/blog/unsubscribe/{bad}/")
        assert response.status_code == 400
    assert Subscriber.objects.confirmed().exists()
