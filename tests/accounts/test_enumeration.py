"""Signing up does not say whether an address already has an account.

allauth hides it when confirming the address comes before signing in
(ACCOUNT_EMAIL_VERIFICATION=mandatory, with ACCOUNT_PREVENT_ENUMERATION): both answers are
the "check your email" page, and the existing owner is emailed instead of a new account
being made. With the default "optional" (people may sign in and write drafts before
confirming), a new sign-up is signed in at once, so the two answers necessarily differ;
the README's Security section says so.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-new-passphrase"


def _sign_up(email: str) -> tuple[int, str]:
    response = Client().post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    return response.status_code, response.get("Location", "")


def test_a_registered_address_gets_the_same_answer_as_a_new_one(settings, outsider) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    known = _sign_up(outsider.email)
    new = _sign_up("brand-new@example.org")
    assert known == new == (302, "/accounts/confirm-email/")
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    to_owner = [m for m in mail.outbox if m.to == [outsider.email]]
    assert len(to_owner) == 1 and "/accounts/password/reset/" in to_owner[0].body
    assert [m.to for m in mail.outbox if m.to != [outsider.email]] == [["brand-new@example.org"]]
