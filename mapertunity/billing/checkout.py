"""Buying credits with Stripe Checkout.

We open a Checkout Session for a pack from ``settings.CREDIT_PACKS`` and send the employer
to Stripe's page. Credits are added only when Stripe's signed webhook says the session is
paid (``checkout.session.completed`` with ``payment_status`` paid, or
``checkout.session.async_payment_succeeded`` for payment methods that settle later),
never from the page the employer comes back to. Each event id is stored under a unique
constraint and each session is fulfilled at most once, so a replayed, duplicated or
retried event changes nothing; an event whose signature doesn't verify is refused. The
buyer's receipt is emailed once the credits are added (a task, sent at most once).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from mapertunity.core.money import to_major
from mapertunity.core.tasks import enqueue_on_commit

from .models import Checkout, Movement, StripeEvent

log = logging.getLogger(__name__)

SEND_RECEIPT = "mapertunity.billing.tasks.send_receipt"
COMPLETED = "checkout.session.completed"
ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded"

HTTP_CLIENT: stripe.HTTPClient | None = None
"""The HTTP client the Stripe library talks through; None for its default. Tests put a
fake here so nothing leaves the machine."""


@dataclass(frozen=True)
class Pack:
    code: str
    credits: int
    amount: int
    """Price in minor units of ``currency``."""
    currency: str
    name: str

    @property
    def price(self) -> str:
        return f"{to_major(self.amount, self.currency):,.2f} {self.currency}"


def packs() -> list[Pack]:
    """The price table (``CREDIT_PACKS``), in the order it is shown."""
    return [
        Pack(
            code=code,
            credits=int(str(pack["credits"])),
            amount=int(str(pack["amount"])),
            currency=str(pack["currency"]).upper(),
            name=str(pack.get("name") or f"{pack['credits']} job posting credits"),
        )
        for code, pack in settings.CREDIT_PACKS.items()
    ]


def pack(code: str) -> Pack:
    for candidate in packs():
        if candidate.code == code:
            return candidate
    raise ValidationError("Choose one of the packs on this page.", code="pack")


def configured() -> bool:
    """Buying works only with both keys: without the webhook secret nothing could be paid."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, http_client=HTTP_CLIENT, max_network_retries=2
    )


def start_checkout(
    *,
    company: Company,
    pack_code: str,
    by: User,
    success_url: str,
    cancel_url: str,
    now: dt.datetime | None = None,
) -> tuple[Checkout, str]:
    """Open a Stripe Checkout Session for a pack; the row we keep and Stripe's page URL.

    Raises ``stripe.StripeError`` when Stripe can't be reached or refuses.
    """
    chosen = pack(pack_code)
    if not configured():
        raise ValidationError("Buying credits is not set up on this site.", code="stripe")
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": chosen.currency.lower(),
                        "unit_amount": chosen.amount,
                        "product_data": {"name": chosen.name},
                    },
                }
            ],
            "client_reference_id": str(company.pk),
            "customer_email": by.email,
            "metadata": {"company_id": str(company.pk), "pack": chosen.code},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
    )
    checkout = Checkout.objects.create(
        company=company,
        created_by=by,
        pack=chosen.code,
        credits=chosen.credits,
        amount=chosen.amount,
        currency=chosen.currency,
        stripe_session_id=session.id,
        created_at=now or timezone.now(),
    )
    return checkout, str(session.url)


class BadWebhook(Exception):
    """Not a verified Stripe event: answer 400 and change nothing."""


def verified_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event in ``payload`` if its ``Stripe-Signature`` verifies with our secret."""
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=stripe.Webhook.DEFAULT_TOLERANCE,
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise BadWebhook(str(error)) from error
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise BadWebhook("Not an event.")
    return event


def handle_event(event: dict[str, Any], *, now: dt.datetime | None = None) -> str:
    """Act on a verified event once; what happened, in words (kept on the event's row)."""
    now = now or timezone.now()
    kind = str(event.get("type", ""))
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    session: dict[str, Any] = obj if isinstance(obj, dict) else {}
    session_id = str(session.get("id", "")) if kind.startswith("checkout.session.") else ""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event["id"], type=kind[:100], session_id=session_id, received_at=now
                )
        except IntegrityError:
            return "already handled"
        if kind == COMPLETED and session.get("payment_status") in {"paid", "no_payment_required"}:
            outcome = _fulfil(session, now=now)
        elif kind == COMPLETED:
            outcome = "waiting for the payment to settle"
        elif kind == ASYNC_SUCCEEDED:
            outcome = _fulfil(session, now=now)
        else:
            outcome = "ignored"
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    return outcome


def _fulfil(session: dict[str, Any], *, now: dt.datetime) -> str:
    checkout = (
        Checkout.objects.select_for_update()
        .filter(stripe_session_id=str(session.get("id", "")))
        .first()
    )
    if checkout is None:
        log.warning("Stripe session %s is not one of ours", session.get("id"))
        return "unknown session"
    if Movement.objects.filter(checkout=checkout).exists():
        return "already fulfilled"
    paid, currency = session.get("amount_total"), str(session.get("currency", "")).upper()
    if paid != checkout.amount or currency != checkout.currency:
        log.error(
            "Stripe session %s paid %s %s, expected %s",
            checkout.stripe_session_id,
            paid,
            currency,
            checkout.amount,
        )
        return "amount does not match"
    Movement.objects.create(
        company_id=checkout.company_id,
        kind=Movement.Kind.PURCHASE,
        credits=checkout.credits,
        checkout=checkout,
        reason=f"{checkout.credits} credits",
        by=checkout.created_by,
        created_at=now,
    )
    checkout.paid_at = now
    checkout.save(update_fields=["paid_at"])
    enqueue_on_commit(SEND_RECEIPT, checkout.pk)
    return f"added {checkout.credits} credits"
