"""Two-factor sign-in (allauth's TOTP): offered to everyone, required of staff for the admin."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from mapertunity.accounts.models import User
from tests.helpers import verify_email

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def totp_code(secret: str, *, at: float | None = None) -> str:
    """What an authenticator app shows now (RFC 6238: 30-second steps, 6 digits)."""
    return format_hotp_value(hotp_value(secret, int((at or time.time()) // 30)))


@pytest.fixture
def outsider(outsider: User) -> User:
    """Signing in through the page takes a confirmed address (confirmation is mandatory)."""
    verify_email(outsider)
    return outsider


def _sign_in(client: Client, user: User, next_url: str = "") -> str:
    target = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    response = client.post(target, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


@pytest.fixture
def new_staff(db: None) -> User:
    """Staff who have not set up two-factor sign-in yet (the shared ``staff`` has)."""
    user = User.objects.create_superuser("new-moderator@mapertunity.example", PASSWORD)
    verify_email(user)
    return user


def test_settings_offer_two_factor_sign_in_to_everyone(client: Client, outsider) -> None:
    client.force_login(outsider)
    page = client.get(reverse("account_settings")).content.decode()
    assert "Turn on two-factor sign-in" in page
    assert reverse("mfa_activate_totp") in page
    assert 'href="/accounts/settings/"' in client.get(reverse("home")).content.decode()


def _confirm_password(client: Client) -> None:
    """allauth asks for the password again before two-factor settings change."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_user_turns_it_on_with_a_code_from_their_app(client: Client, outsider) -> None:
    _sign_in(client, outsider)
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert page.context["totp_svg_data_uri"].startswith("data:image/svg+xml;base64,")
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200 and not Authenticator.objects.filter(user=outsider).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=outsider, type=Authenticator.Type.TOTP).exists()
    page = client.get(reverse("account_settings")).content.decode()
    assert "<strong>On.</strong>" in page


def test_signing_in_with_two_factor_on_asks_for_the_code(client: Client, outsider) -> None:
    secret = generate_totp_secret()
    TOTP.activate(outsider, secret)
    assert _sign_in(client, outsider) == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    # The password alone opens nothing.
    assert client.get(reverse("account_settings")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(outsider.pk)


def test_staff_without_two_factor_are_sent_to_set_it_up(client: Client, new_staff) -> None:
    staff = new_staff
    _sign_in(client, staff, "/admin/")
    for path in ("/admin/", "/admin/jobs/job/", "/admin/moderation/jobreview/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp")
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Staff need two-factor sign-in to open the admin" in page


def test_staff_with_two_factor_reach_the_admin_after_the_code(client: Client, new_staff) -> None:
    staff = new_staff
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])  # /admin/login/ → the site's sign-in
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    login_url = response["Location"]
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_two_factor_is_not_forced_on_people_who_are_not_staff(client: Client, outsider) -> None:
    _sign_in(client, outsider)
    assert client.get(reverse("candidates:signup")).status_code == 302
    assert client.get(reverse("account_settings")).status_code == 200
    # …and the admin stays closed to them either way.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
