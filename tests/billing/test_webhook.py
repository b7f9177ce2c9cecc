"""Stripe's webhook: only a correctly signed event is read, each event and each paid
session adds credits once, and a forged one is a 400 that changes nothing. Events are
signed with the stripe library's own helper."""

from __future__ import annotations

import json

import pytest
import stripe
from django.test import Client

from mapertunity.billing import actions as billing
from mapertunity.billing.models import Checkout, Movement, StripeEvent

from .helpers import WEBHOOK_SECRET, make_checkout, session_event, signed, use_stripe_keys

pytestmark = pytest.mark.django_db
URL = "/billing/stripe/webhook/"


@pytest.fixture(autouse=True)
def _stripe_keys(settings) -> None:
    use_stripe_keys(settings)


@pytest.fixture
def checkout(company, employer) -> Checkout:
    return make_checkout(company, employer, "one", 1, 4900, "cs_test_123")


def _post(client: Client, body: str, signature: str | None) -> object:
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_signed_paid_session_adds_the_packs_credits(client: Client, checkout, company) -> None:
    body, signature = signed(session_event("cs_test_123"))
    response = _post(client, body, signature)
    assert response.status_code == 200
    assert billing.balance(company) == 1
    movement = Movement.objects.get(kind="purchase")
    assert movement.checkout == checkout and movement.company == company
    checkout.refresh_from_db()
    assert checkout.paid_at is not None


def test_a_forged_signature_is_a_400_and_changes_nothing(client: Client, checkout, company) -> None:
    body, _ = signed(session_event("cs_test_123"))
    _, wrong = signed(session_event("cs_test_123"), secret="whsec_someone_else")
    assert _post(client, body, wrong).status_code == 400
    assert _post(client, body, None).status_code == 400
    assert _post(client, body, "t=1,v1=deadbeef").status_code == 400
    # A body changed after signing doesn't verify either.
    body2, signature = signed(session_event("cs_test_123"))
    tampered = body2.replace("4900", "1")
    response = _post(client, tampered, signature)
    assert response.status_code == 400 and "detail" in json.loads(response.content)
    assert billing.balance(company) == 0 and not StripeEvent.objects.exists()


def test_an_old_signature_outside_the_tolerance_is_refused(client: Client, checkout) -> None:
    body = json.dumps(session_event("cs_test_123"))
    old = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET, timestamp=1000)
    assert _post(client, body, old).status_code == 400
    assert not Movement.objects.exists()


def test_a_replayed_event_changes_nothing(client: Client, checkout, company) -> None:
    body, signature = signed(session_event("cs_test_123"))
    assert _post(client, body, signature).status_code == 200
    again = _post(client, body, signature)
    assert again.status_code == 200 and json.loads(again.content)["detail"] == "already handled"
    assert billing.balance(company) == 1 and StripeEvent.objects.count() == 1


def test_two_events_for_the_same_session_fulfil_it_once(client: Client, checkout, company) -> None:
    for event_id, kind in [
        ("evt_a", "checkout.session.completed"),
        ("evt_b", "checkout.session.async_payment_succeeded"),
        ("evt_c", "checkout.session.completed"),
    ]:
        body, signature = signed(session_event("cs_test_123", event_id=event_id, type=kind))
        assert _post(client, body, signature).status_code == 200
    assert billing.balance(company) == 1
    assert Movement.objects.filter(kind="purchase").count() == 1


def test_a_delayed_payment_is_fulfilled_only_when_it_succeeds(
    client: Client, checkout, company
) -> None:
    body, signature = signed(session_event("cs_test_123", payment_status="unpaid"))
    assert _post(client, body, signature).status_code == 200
    assert billing.balance(company) == 0
    failed = session_event(
        "cs_test_123",
        event_id="evt_f",
        type="checkout.session.async_payment_failed",
        payment_status="unpaid",
    )
    body, signature = signed(failed)
    _post(client, body, signature)
    assert billing.balance(company) == 0
    succeeded = session_event(
        "cs_test_123", event_id="evt_s", type="checkout.session.async_payment_succeeded"
    )
    body, signature = signed(succeeded)
    assert _post(client, body, signature).status_code == 200
    assert billing.balance(company) == 1


def test_an_unknown_session_or_a_wrong_amount_adds_nothing(
    client: Client, checkout, company
) -> None:
    body, signature = signed(session_event("cs_not_ours", event_id="evt_x"))
    assert _post(client, body, signature).status_code == 200
    body, signature = signed(session_event("cs_test_123", event_id="evt_y", amount_total=100))
    assert _post(client, body, signature).status_code == 200
    assert billing.balance(company) == 0 and not Movement.objects.exists()


def test_other_event_types_are_recorded_and_ignored(client: Client, checkout, company) -> None:
    event = {"id": "evt_z", "object": "event", "type": "customer.created", "data": {"object": {}}}
    body, signature = signed(event)
    assert _post(client, body, signature).status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored" and billing.balance(company) == 0


def test_without_keys_the_webhook_refuses_everything(client: Client, checkout, settings) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, signature = signed(session_event("cs_test_123"))
    assert _post(client, body, signature).status_code == 400
    assert not Movement.objects.exists()


def test_the_webhook_takes_only_post(client: Client) -> None:
    assert client.get(URL).status_code == 405
