"""Buying a pack: a Stripe Checkout Session is opened (through a fake HTTP client, so no
request leaves the machine) and the employer is sent to Stripe's page; nothing is added
until the webhook says it is paid."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs

import pytest
import stripe
from django.test import Client

from mapertunity.billing import actions as billing
from mapertunity.billing import checkout as checkout_module
from mapertunity.billing.models import Checkout

from .helpers import WEBHOOK_SECRET, session_event, signed

pytestmark = pytest.mark.django_db


class FakeStripe(stripe.HTTPClient):
    """Answers the Stripe API like Stripe would, and remembers what it was asked."""

    name = "fake"

    def __init__(self, status: int = 200) -> None:
        super().__init__()
        self.status = status
        self.calls: list[tuple[str, str, dict[str, list[str]]]] = []

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        self.calls.append((method, url, parse_qs(post_data or "")))
        if self.status != 200:
            body = {"error": {"type": "invalid_request_error", "message": "Refused"}}
            return json.dumps(body), self.status, {}
        session = {
            "id": "cs_test_fake_1",
            "object": "checkout.session",
            "url": "https://checkout.stripe.test/c/pay/cs_test_fake_1",
            "payment_status": "unpaid",
        }
        return json.dumps(session), 200, {"request-id": "req_fake"}

    def close(self) -> None:
        pass


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> Iterator[FakeStripe]:
    settings.STRIPE_SECRET_KEY = "sk_test_suite"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    monkeypatch.setattr(checkout_module, "HTTP_CLIENT", fake)
    yield fake


def test_buying_a_pack_opens_a_checkout_session_and_redirects_to_stripe(
    client: Client, employer, company, fake_stripe: FakeStripe
) -> None:
    client.force_login(employer)
    response = client.post(f"/employers/credits/{company.slug}/buy/", {"pack": "five"})
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_fake_1"
    ((method, url, params),) = fake_stripe.calls
    assert method == "post" and url.endswith("/v1/checkout/sessions")
    assert params["mode"] == ["payment"]
    assert params["line_items[0][price_data][unit_amount]"] == ["19900"]
    assert params["line_items[0][price_data][currency]"] == ["usd"]
    assert params["client_reference_id"] == [str(company.pk)]
    assert params["success_url"][0].endswith(f"/employers/credits/{company.slug}/?checkout=done")
    row = Checkout.objects.get()
    assert (row.company, row.credits, row.amount, row.stripe_session_id) == (
        company,
        5,
        19900,
        "cs_test_fake_1",
    )
    # Coming back from Stripe adds nothing: only the webhook does.
    page = client.get(f"/employers/credits/{company.slug}/?checkout=done")
    assert "as soon as Stripe confirms" in page.content.decode()
    assert billing.balance(company) == 0
    event = session_event("cs_test_fake_1", amount_total=19900)
    body, signature = signed(event)
    client.post(
        "/billing/stripe/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert billing.balance(company) == 5


def test_an_unknown_pack_is_refused_with_a_message(
    client: Client, employer, company, fake_stripe: FakeStripe
) -> None:
    client.force_login(employer)
    response = client.post(
        f"/employers/credits/{company.slug}/buy/", {"pack": "a-million"}, follow=True
    )
    assert "Choose one of the packs" in response.content.decode()
    assert not fake_stripe.calls and not Checkout.objects.exists()


def test_stripe_refusing_is_a_message_not_an_error_page(
    client: Client, employer, company, fake_stripe: FakeStripe
) -> None:
    fake_stripe.status = 400  # a refusal; a 5xx would be retried first
    client.force_login(employer)
    response = client.post(f"/employers/credits/{company.slug}/buy/", {"pack": "one"}, follow=True)
    assert response.status_code == 200
    assert "be opened just now" in response.content.decode()
    assert not Checkout.objects.exists()


def test_without_stripe_keys_the_page_says_buying_is_not_configured(
    client: Client, employer, company, settings
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(employer)
    page = client.get(f"/employers/credits/{company.slug}/").content.decode()
    assert "not configured" in page and "Balance: <strong>0 credits</strong>" in page
    response = client.post(f"/employers/credits/{company.slug}/buy/", {"pack": "one"}, follow=True)
    assert "not set up" in response.content.decode() and not Checkout.objects.exists()
