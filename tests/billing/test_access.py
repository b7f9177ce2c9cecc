"""Every billing route that names a company answers 404 to anyone but its members."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from mapertunity.billing.models import Checkout, Movement

from .helpers import give

pytestmark = pytest.mark.django_db

REGISTRY = {"company_credits": "get", "buy": "post"}
NO_OBJECT = {"credits", "stripe_webhook"}
"""Routes with no company in the URL: the user's own, and Stripe's signed webhook."""


def test_every_company_route_is_in_the_registry() -> None:
    namespace = get_resolver().namespace_dict["billing"][1]
    names = {name for name in namespace.reverse_dict if isinstance(name, str)}
    assert names - NO_OBJECT == set(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
@pytest.mark.parametrize("who", ["other_employer", "outsider"])
def test_another_company_cannot_see_or_buy_for_yours(
    client: Client, company, name: str, who: str, request, settings
) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test", "whsec_test"
    give(company, 4)
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"billing:{name}", kwargs={"company_slug": company.slug})
    response = getattr(client, REGISTRY[name])(url, {"pack": "one"})
    assert response.status_code == 404, (name, who)
    assert not Checkout.objects.exists() and Movement.objects.count() == 1


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, company, name: str) -> None:
    url = reverse(f"billing:{name}", kwargs={"company_slug": company.slug})
    response = getattr(client, REGISTRY[name])(url, {"pack": "one"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_credits_link_opens_your_own_company(client: Client, employer, company) -> None:
    client.force_login(employer)
    response = client.get("/employers/credits/")
    assert response.status_code == 302
    assert response["Location"] == f"/employers/credits/{company.slug}/"


def test_someone_without_a_company_is_asked_to_make_one(client: Client, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/employers/credits/")["Location"] == "/employers/company/new/"
