"""The email billing sends: the buyer's receipt for a pack of credits, once per purchase."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from mapertunity.accounts.notifications import Kind, message
from mapertunity.core.links import absolute_url
from mapertunity.core.money import to_major
from mapertunity.core.outbox import send_once

from .models import Checkout


def receipt(checkout_id: int) -> bool:
    """Tell whoever bought a pack what they paid and what they got, once the webhook has
    added the credits; nothing for a checkout that isn't paid or has no buyer left."""
    checkout = (
        Checkout.objects.select_related("company", "created_by").filter(pk=checkout_id).first()
    )
    if checkout is None or checkout.paid_at is None or checkout.created_by is None:
        return False
    buyer, company = checkout.created_by, checkout.company
    context = {
        "checkout": checkout,
        "company": company,
        "paid": f"{to_major(checkout.amount, checkout.currency):,.2f} {checkout.currency}",
        "url": absolute_url(reverse("billing:company_credits", args=[company.slug])),
    }

    def build() -> EmailMultiAlternatives | None:
        return message(
            to=buyer,
            kind=Kind.RECEIPTS,
            subject=f"Receipt: {checkout.credits} job posting credits for {company.name}",
            template="billing/email/receipt",
            context=context,
            message_id=f"receipt-{checkout.pk}",
        )

    return send_once(f"receipt:{checkout.pk}", build)
