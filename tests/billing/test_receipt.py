"""The buyer gets a receipt when Stripe's webhook adds their credits: once per purchase,
however often Stripe sends the event or the task runs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mapertunity.accounts.notifications import Kind, opt_out
from mapertunity.billing import emails
from mapertunity.billing.models import Checkout

from .helpers import make_checkout, session_event, signed, use_stripe_keys

pytestmark = pytest.mark.django_db
URL = "/billing/stripe/webhook/"


@pytest.fixture(autouse=True)
def _stripe_keys(settings) -> None:
    use_stripe_keys(settings)


@pytest.fixture
def checkout(company, employer) -> Checkout:
    return make_checkout(company, employer, "five", 5, 19900, "cs_test_receipt")


def _deliver(client: Client, event: dict) -> None:
    body, signature = signed(event)
    response = client.post(
        URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 200


def test_a_paid_purchase_emails_the_buyer_a_receipt(
    client: Client, checkout: Checkout, employer, company
) -> None:
    _deliver(client, session_event("cs_test_receipt", amount_total=19900))
    (receipt,) = mail.outbox
    assert receipt.to == [employer.email]
    assert receipt.subject == f"Receipt: 5 job posting credits for {company.name}"
    assert "Bought: 5 job posting credits" in receipt.body
    assert "Paid: 199.00 USD, through Stripe" in receipt.body
    assert "Reference: cs_test_receipt" in receipt.body
    assert f"http://127.0.0.1:8000/employers/credits/{company.slug}/" in receipt.body
    assert "List-Unsubscribe" not in receipt.extra_headers  # a receipt is always sent
    html = receipt.alternatives[0][0]
    assert "199.00 USD" in html and "See your credits" in html


def test_stripe_sending_the_event_again_sends_no_second_receipt(
    client: Client, checkout: Checkout
) -> None:
    event = session_event("cs_test_receipt", amount_total=19900)
    _deliver(client, event)
    _deliver(client, event)  # a replay of the same event
    _deliver(client, {**event, "id": "evt_2", "type": "checkout.session.async_payment_succeeded"})
    assert len(mail.outbox) == 1


def test_the_task_running_twice_sends_one_receipt(client: Client, checkout: Checkout) -> None:
    _deliver(client, session_event("cs_test_receipt", amount_total=19900))
    assert emails.receipt(checkout.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_the_payment_settles(client: Client, checkout: Checkout) -> None:
    _deliver(client, session_event("cs_test_receipt", payment_status="unpaid", amount_total=19900))
    assert mail.outbox == [] and emails.receipt(checkout.pk) is False


def test_a_wrong_amount_adds_nothing_and_sends_no_receipt(
    client: Client, checkout: Checkout
) -> None:
    _deliver(client, session_event("cs_test_receipt", amount_total=100))
    assert mail.outbox == []


def test_receipts_cannot_be_switched_off(client: Client, checkout: Checkout, employer) -> None:
    opt_out(user=employer, kind=Kind.RECEIPTS)
    _deliver(client, session_event("cs_test_receipt", amount_total=19900))
    assert len(mail.outbox) == 1
