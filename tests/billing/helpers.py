"""Small helpers for the credit tests."""

from __future__ import annotations

import json
import time
from typing import Any

import stripe
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.billing import actions
from mapertunity.billing.models import Checkout, Movement
from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.helpers import make_job

WEBHOOK_SECRET = "whsec_test_secret_for_the_suite"


def use_stripe_keys(settings: Any) -> None:
    """Stripe configured as in production, with the suite's webhook secret."""
    settings.STRIPE_SECRET_KEY = "sk_test_suite"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


def make_checkout(
    company: Company, employer: User, pack: str, credits: int, amount: int, session_id: str
) -> Checkout:
    """A Checkout Session the employer opened and Stripe has not yet reported on."""
    return Checkout.objects.create(
        company=company,
        created_by=employer,
        pack=pack,
        credits=credits,
        amount=amount,
        currency="USD",
        stripe_session_id=session_id,
        created_at=timezone.now(),
    )


def draft(company: Company, author: User | None = None, **fields: Any) -> Job:
    """A job written but not yet sent for the site."""
    fields.setdefault("title", f"Draft {Job.objects.count() + 1}")
    fields.setdefault("description", f"Unique text {time.monotonic_ns()} about the role.")
    return make_job(company, created_by=author, status=Job.Status.DRAFT, posted_at=None, **fields)


def use_free_posting(company: Company) -> Movement:
    """The company had its free first posting (for an established company's tests)."""
    return Movement.objects.create(
        company=company, kind=Movement.Kind.FREE, credits=0, created_at=timezone.now()
    )


def give(company: Company, credits: int) -> Movement:
    return actions.grant(company=company, credits=credits, reason="Test credits", by=None)


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET) -> tuple[str, str]:
    """The body and ``Stripe-Signature`` header Stripe would send, signed with the stripe
    library's own helper."""
    body = json.dumps(event)
    return body, stripe.WebhookSignature.generate_signature_header(body, secret)


def session_event(
    session_id: str,
    *,
    event_id: str = "evt_1",
    type: str = "checkout.session.completed",
    payment_status: str = "paid",
    amount_total: int = 4900,
    currency: str = "usd",
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": type,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": payment_status,
                "amount_total": amount_total,
                "currency": currency,
            }
        },
    }
