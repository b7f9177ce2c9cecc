"""Employers' credits page, buying a pack through Stripe Checkout, and Stripe's webhook."""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.companies.models import Company
from mapertunity.core.links import absolute_url

from . import actions, checkout
from .forms import BuyForm
from .models import Movement

log = logging.getLogger(__name__)
HISTORY_ROWS = 200


def _get_company_for_member(request: HttpRequest, company_slug: str) -> Company:
    """The company if the user is one of its members; 404 for anyone else."""
    return get_object_or_404(Company.objects.for_user(request.user), slug=company_slug)


@login_required
def credits(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The credits page of the user's company (the one the jobs pages use)."""
    company = Company.objects.for_user(request.user).order_by("pk").first()
    if company is None:
        return redirect("companies:create")
    return redirect("billing:company_credits", company_slug=company.slug)


@login_required
def company_credits(request: AuthenticatedHttpRequest, company_slug: str) -> HttpResponse:
    company = _get_company_for_member(request, company_slug)
    if request.GET.get("checkout") == "done":
        messages.info(
            request,
            "Thank you. Your credits appear here as soon as Stripe confirms the payment, "
            "usually within a minute; reload this page to see them.",
        )
    history = Movement.objects.for_company(company.pk).select_related("job")[:HISTORY_ROWS]
    context = {
        "company": company,
        "balance": actions.balance(company),
        "quote": actions.quote_posting(company=company),
        "history": history,
        "packs": checkout.packs(),
        "can_buy": checkout.configured(),
        "form": BuyForm(),
        "valid_days": settings.JOB_VALID_DAYS,
    }
    return render(request, "billing/credits.html", context)


@login_required
@require_POST
def buy(request: AuthenticatedHttpRequest, company_slug: str) -> HttpResponse:
    """Open a Stripe Checkout Session for the chosen pack and send the employer there."""
    company = _get_company_for_member(request, company_slug)
    back = reverse("billing:company_credits", args=[company.slug])
    if not checkout.configured():
        messages.error(request, "Buying credits is not set up on this site yet; ask our staff.")
        return redirect(back)
    form = BuyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the packs on this page.")
        return redirect(back)
    try:
        _, url = checkout.start_checkout(
            company=company,
            pack_code=form.cleaned_data["pack"],
            by=request.user,
            success_url=absolute_url(back) + "?checkout=done",
            cancel_url=absolute_url(back),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    except stripe.StripeError:
        log.exception("Could not open a Stripe Checkout Session")
        messages.error(
            request, "The payment page couldn't be opened just now. Nothing was charged; try again."
        )
        return redirect(back)
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events about Checkout Sessions. Only a correctly signed event is read; a
    replayed or duplicated one is answered 200 (so Stripe stops retrying) and changes nothing."""
    if not checkout.configured():
        return JsonResponse({"detail": "Payments are not set up."}, status=400)
    try:
        event = checkout.verified_event(request.body, request.headers.get("Stripe-Signature"))
    except checkout.BadWebhook:
        return JsonResponse({"detail": "The signature does not verify."}, status=400)
    outcome = checkout.handle_event(event)
    return JsonResponse({"detail": outcome})
