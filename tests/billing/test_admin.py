"""Staff grant credits in the admin, with a reason; the ledger itself can't be edited."""

from __future__ import annotations

import pytest
from django.test import Client

from mapertunity.billing import actions as billing
from mapertunity.billing.models import Movement

from .helpers import give

pytestmark = pytest.mark.django_db


def test_staff_grant_credits_with_a_reason(client: Client, staff, company) -> None:
    client.force_login(staff)
    assert client.get("/admin/billing/movement/add/").status_code == 200
    response = client.post(
        "/admin/billing/movement/add/",
        {"company": company.pk, "credits": "5", "reason": "Invoice 2031 paid by bank"},
    )
    assert response.status_code == 302
    grant = Movement.objects.get()
    assert (grant.kind, grant.credits, grant.reason, grant.by) == (
        "grant",
        5,
        "Invoice 2031 paid by bank",
        staff,
    )
    assert billing.balance(company) == 5


def test_a_grant_without_a_reason_is_shown_again(client: Client, staff, company) -> None:
    client.force_login(staff)
    response = client.post(
        "/admin/billing/movement/add/", {"company": company.pk, "credits": "5", "reason": ""}
    )
    assert response.status_code == 200 and not Movement.objects.exists()


def test_movements_cannot_be_changed_or_deleted(client: Client, staff, company) -> None:
    grant = give(company, 2)
    client.force_login(staff)
    client.post(f"/admin/billing/movement/{grant.pk}/change/", {"credits": "200"})
    client.post(f"/admin/billing/movement/{grant.pk}/delete/", {"post": "yes"})
    grant.refresh_from_db()
    assert grant.credits == 2
    assert client.get("/admin/billing/movement/").status_code == 200
