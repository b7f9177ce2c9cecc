"""Sign-in, sign-up, password and email pages in the site's own words and forms: no
allauth stock wording (no "contact us", which the site has no page for), our labels, no
placeholders repeating them, and the flows still work through the new templates."""

from __future__ import annotations

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User

pytestmark = pytest.mark.django_db

STOCK = [
    "contact us",
    "Remember Me",
    "(again)",
    "Reset My Password",
    "Signup",
    "If you have not created an account yet",
    "The following email addresses are associated",
    "Bad Token",
]


def plain(html: str) -> None:
    for phrase in STOCK:
        assert phrase not in html, phrase
    assert "placeholder=" not in html.split("<main", 1)[1]
    assert 'class="button"' in html  # the site's own button


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def reset_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    return f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create your account"),
        ("/accounts/password/reset/", "Forgot your password?"),
        ("/accounts/password/reset/key/1-wrong/", "This link no longer works"),
        ("/accounts/confirm-email/not-a-key/", "Confirm your email address"),
    ],
)
def test_the_signed_out_pages_speak_plainly(client: Client, path: str, heading: str) -> None:
    response = client.get(path, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and h1(html) == heading
    for phrase in STOCK:
        assert phrase not in html, phrase
    assert "placeholder=" not in html.split("<main", 1)[1]


def test_sign_in_points_seekers_and_employers_the_right_way(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    plain(html)
    assert "Keep me signed in on this device" in html and "Forgot your password?" in html
    assert '<a href="/signup/">create your profile</a>' in html
    assert '<a href="/employers/start/">post a job</a>' in html


def test_sign_up_offers_seekers_the_profile_but_not_in_the_employer_flow(client: Client) -> None:
    html = client.get("/accounts/signup/").content.decode()
    plain(html)
    assert "Password again" in html and "Create your candidate profile</a> instead" in html
    employer_flow = client.get("/accounts/signup/?next=/employers/start/").content.decode()
    assert "candidate profile" not in employer_flow and "Set up your company" in employer_flow


def test_signing_up_still_works(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@shop.example.com",
            "password1": "a-long-pass-1",
            "password2": "a-long-pass-1",
        },
    )
    assert response.status_code == 302 and User.objects.filter(email="new@shop.example.com")


def test_a_mistyped_sign_up_keeps_the_email_and_says_what_to_fix(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "new@shop.example.com", "password1": "a-long-pass-1", "password2": "other-1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Please correct the 1 problem below" in html
    assert 'value="new@shop.example.com"' in html


def test_a_wrong_password_is_a_clear_message(client: Client, employer) -> None:
    response = client.post("/accounts/login/", {"login": employer.email, "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200 and "not correct" in html
    assert f'value="{employer.email}"' in html


def test_the_password_reset_pages_and_link(client: Client, employer) -> None:
    sent = client.post("/accounts/password/reset/", {"email": employer.email}, follow=True)
    html = sent.content.decode()
    plain_text = re.sub(r"<[^>]+>", "", html)
    assert h1(html) == "Check your email" and "spam folder" in plain_text
    assert "contact us" not in html and len(mail.outbox) == 1

    form = client.get(reset_url(employer), follow=True).content.decode()
    plain(form)
    assert h1(form) == "Set a new password" and "New password again" in form
    action = re.search(r'<form method="post" action="([^"]+)"', form).group(1)
    done = client.post(
        action, {"password1": "a-new-long-pass-2", "password2": "a-new-long-pass-2"}, follow=True
    )
    assert h1(done.content.decode()) == "Password changed"
    assert Client().login(email=employer.email, password="a-new-long-pass-2")


def test_the_signed_in_pages_speak_plainly(client: Client, employer) -> None:
    client.force_login(employer)
    change = client.get("/accounts/password/change/").content.decode()
    plain(change)
    assert h1(change) == "Change your password" and "Current password" in change
    out = client.get("/accounts/logout/").content.decode()
    assert h1(out) == "Sign out" and "Are you sure" not in out
    emails = client.get("/accounts/email/").content.decode()
    plain(emails)
    assert h1(emails) == "Your email addresses" and "Main address" in emails


def test_changing_the_password_still_works(client: Client, employer) -> None:
    client.force_login(employer)
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-long-pass-3",
            "password2": "a-new-long-pass-3",
        },
    )
    assert Client().login(email=employer.email, password="a-new-long-pass-3")


def test_each_address_has_its_own_actions(client: Client, employer) -> None:
    client.force_login(employer)
    EmailAddress.objects.create(user=employer, email="second@harbor.example.com")
    html = client.get("/accounts/email/").content.decode()
    assert "Not confirmed yet" in html and "Send the confirmation link again" in html
    client.post("/accounts/email/", {"email": "second@harbor.example.com", "action_send": ""})
    assert mail.outbox and mail.outbox[-1].to == ["second@harbor.example.com"]
    client.post("/accounts/email/", {"email": "second@harbor.example.com", "action_remove": ""})
    assert not EmailAddress.objects.filter(email="second@harbor.example.com").exists()
    client.post("/accounts/email/", {"email": "third@harbor.example.com", "action_add": ""})
    assert EmailAddress.objects.filter(email="third@harbor.example.com", verified=False).exists()


def test_confirming_an_address_through_our_page(client: Client, employer) -> None:
    address = EmailAddress.objects.create(user=employer, email="second@harbor.example.com")
    key = EmailConfirmationHMAC(address).key
    page = client.get(f"/accounts/confirm-email/{key}/").content.decode()
    plain(page)
    assert "second@harbor.example.com</strong> your address?" in page
    client.post(f"/accounts/confirm-email/{key}/")
    address.refresh_from_db()
    assert address.verified
