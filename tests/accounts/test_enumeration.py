"""Nothing a visitor can do says whether an address already has an account.

Each test runs the attack: the same request once with a registered address and once with
a new one, and compares what comes back (status, redirects, the page apart from what was
typed, the mail the address gets, and what the site says afterwards). allauth can hide the
difference at sign-up because confirming the address comes before signing in
(ACCOUNT_EMAIL_VERIFICATION=mandatory, with ACCOUNT_PREVENT_ENUMERATION): the owner of a
registered address is emailed instead of a new account being made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-new-passphrase"
NEW = "brand-new@example.org"
_TOKEN = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def seen(response: Any, typed: Iterable[str]) -> tuple[Any, ...]:
    """What the visitor sees: the redirects followed, the status, and the page they land
    on, less what they typed themselves and the per-request CSRF token."""
    page = _TOKEN.sub("TOKEN", response.content.decode())
    for value in typed:
        page = page.replace(value, "TYPED")
    return getattr(response, "redirect_chain", []), response.status_code, page


def mail_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords hashed, the slow step of making an account."""

    algorithm = "counting_md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        self.calls.append(password)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings) -> list[str]:
    settings.PASSWORD_HASHERS = ["tests.accounts.test_enumeration.CountingHasher"]
    CountingHasher.calls.clear()
    return CountingHasher.calls


def _employer_sign_up(email: str) -> Any:
    return Client().post(
        "/accounts/signup/?next=/employers/start/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def test_the_sign_up_page_answers_a_registered_address_as_a_new_one(outsider) -> None:
    known = _employer_sign_up(outsider.email)
    new = _employer_sign_up(NEW)
    assert seen(known, [outsider.email]) == seen(new, [NEW])
    assert known.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    (to_owner,) = mail_to(outsider.email)
    assert "/accounts/login/" in to_owner.body and "/accounts/password/reset/" in to_owner.body
    assert len(mail_to(NEW)) == 1


def test_both_answers_hash_the_password(outsider, counting_hasher) -> None:
    """A new account's password hash is the slowest part of signing up (hundreds of
    milliseconds with the production hasher): a registered address costs the same."""
    _employer_sign_up(outsider.email)
    assert counting_hasher == [PASSWORD]
    _employer_sign_up(NEW)
    assert counting_hasher == [PASSWORD, PASSWORD]


def _candidate_step_3(email: str, handle: str) -> tuple[Client, Any]:
    client = Client()
    client.post("/signup/name/", {"first_name": "Ada", "last_name": "Okafor"})
    client.post("/signup/id/", {"handle": handle})
    response = client.post(
        "/signup/contact/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "phone": "+1 512 555 0100",
            "home": "78701",
        },
        follow=True,
    )
    return client, response


def test_the_candidate_signup_answers_a_registered_address_as_a_new_one(outsider) -> None:
    known_visitor, known = _candidate_step_3(outsider.email, "known-ada")
    new_visitor, new = _candidate_step_3(NEW, "new-ada")
    assert seen(known, [outsider.email]) == seen(new, [NEW])
    assert known.redirect_chain == [("/signup/sent/", 302)]
    assert "Check your inbox" in known.content.decode()
    (to_owner,) = mail_to(outsider.email)
    assert "/accounts/login/" in to_owner.body and "/accounts/password/reset/" in to_owner.body
    assert len(mail_to(NEW)) == 1

    # Coming back to the signup looks the same too.
    again = [c.get("/signup/", follow=True) for c in (known_visitor, new_visitor)]
    assert seen(again[0], [outsider.email]) == seen(again[1], [NEW])
    contact = [c.get("/signup/contact/") for c in (known_visitor, new_visitor)]
    assert seen(contact[0], [outsider.email]) == seen(contact[1], [NEW])


def test_the_chosen_id_is_not_taken_until_the_address_is_confirmed(outsider) -> None:
    """A new sign-up that took its ID at once would tell, through the live ID check,
    that the address had no account."""
    _candidate_step_3(outsider.email, "known-ada")
    _candidate_step_3(NEW, "new-ada")
    for handle in ("known-ada", "new-ada"):
        answer = Client().get("/signup/id/check/", {"handle": handle}).content.decode()
        assert "is available" in answer, handle


def test_the_candidate_signup_hashes_the_password_either_way(outsider, counting_hasher) -> None:
    _candidate_step_3(outsider.email, "known-ada")
    assert counting_hasher == [PASSWORD]
    _candidate_step_3(NEW, "new-ada")
    assert counting_hasher == [PASSWORD, PASSWORD]


def test_password_reset_answers_a_registered_address_as_an_unknown_one(outsider) -> None:
    known = Client().post("/accounts/password/reset/", {"email": outsider.email}, follow=True)
    new = Client().post("/accounts/password/reset/", {"email": NEW}, follow=True)
    assert seen(known, [outsider.email]) == seen(new, [NEW])
    assert len(mail_to(outsider.email)) == len(mail_to(NEW)) == 1


def test_adding_an_address_answers_a_registered_one_as_a_new_one(
    employer, other_employer, outsider
) -> None:
    unused = "unused@example.org"  # listed after the account's own address, like outsider's
    answers = []
    for user, email in ((employer, outsider.email), (other_employer, unused)):
        client = Client()
        client.force_login(user)
        response = client.post("/accounts/email/", {"email": email, "action_add": ""}, follow=True)
        answers.append(seen(response, [email, user.email]))
    assert answers[0] == answers[1]
    assert len(mail_to(outsider.email)) == len(mail_to(unused)) == 1
