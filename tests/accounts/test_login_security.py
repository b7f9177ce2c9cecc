"""Sign-in hardening: the failed-login throttle (site and admin), sessions rotated on sign-in
and cleared on sign-out, and the admin reached only through the site's sign-in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from mapertunity.accounts.models import User
from tests.helpers import verify_email

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def outsider(outsider: User) -> User:
    """Signing in through the page takes a confirmed address (confirmation is mandatory)."""
    verify_email(outsider)
    return outsider


def _wrong(client: Client, email: str, **extra: str) -> int:
    response = client.post(LOGIN, {"login": email, "password": "not-the-password"}, **extra)
    return response.status_code


def test_the_sixth_wrong_password_for_one_account_is_a_429_page(client: Client, outsider) -> None:
    assert [_wrong(client, outsider.email) for _ in range(5)] == [200] * 5
    response = client.post(LOGIN, {"login": outsider.email, "password": "not-the-password"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert reverse("account_reset_password") in text


def test_the_right_password_is_refused_too_once_the_account_is_throttled(
    client: Client, outsider
) -> None:
    for _ in range(5):
        _wrong(client, outsider.email)
    response = client.post(LOGIN, {"login": outsider.email, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_limit_counts_per_account_from_many_addresses(client: Client, outsider) -> None:
    codes = [_wrong(client, outsider.email, REMOTE_ADDR=f"198.51.100.{i}") for i in range(6)]
    assert codes == [200] * 5 + [429]


def test_the_limit_counts_per_address_across_accounts(client: Client) -> None:
    codes = [_wrong(client, f"guess{i}@example.org") for i in range(6)]
    assert codes == [200] * 5 + [429]
    # Someone else, elsewhere, still signs in.
    verify_email(User.objects.create_user("else@example.org", "correct-horse-battery"))
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = other.post(LOGIN, {"login": "else@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_five_wrong_passwords_then_the_right_one_signs_in(client: Client, outsider) -> None:
    for _ in range(4):
        _wrong(client, outsider.email)
    response = client.post(LOGIN, {"login": outsider.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(outsider.pk)


def test_the_admin_login_goes_through_the_site_sign_in(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/jobs/job/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2Fjobs%2Fjob%2F"
    # Posting passwords at the admin's old form does nothing either.
    response = client.post("/admin/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_thirty_wrong_admin_passwords_are_throttled(client: Client, staff) -> None:
    codes = []
    for _ in range(30):
        target = client.post("/admin/login/", {"username": staff.email, "password": "x"})
        codes.append(
            client.post(target["Location"], {"login": staff.email, "password": "wrong"}).status_code
        )
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}


def test_signing_in_gives_a_new_session_key(client: Client, outsider) -> None:
    # A session fixed before sign-in (by an attacker planting its cookie) is not the one
    # that ends up signed in.
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key
    response = client.post(LOGIN, {"login": outsider.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.session[SESSION_KEY] == str(outsider.pk)
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(before)


def test_signing_out_clears_the_session(client: Client, outsider) -> None:
    client.post(LOGIN, {"login": outsider.email, "password": "correct-horse-battery"})
    session = client.session
    session["draft"] = "something private"
    session.save()
    key = session.session_key
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(key)
    assert SESSION_KEY not in client.session and "draft" not in client.session
    assert client.get(reverse("account_settings")).status_code == 302


def test_session_and_csrf_cookies_are_secure_and_http_only_in_production() -> None:
    # tests run with DEBUG true; the rule is read from settings.py the way production does.
    import subprocess
    import sys

    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 64,
        "DJANGO_SETTINGS_MODULE": "mapertunity.settings",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
