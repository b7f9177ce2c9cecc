"""The API tokens page: made, named, shown once, stored hashed, last use shown, revoked;
and the rate limits per IP address and per token."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from mapertunity.accounts.models import User
from mapertunity.api.models import ApiToken

from .conftest import bearer

pytestmark = pytest.mark.django_db
PAGE = "/employers/api-tokens/"


def test_a_token_is_shown_once_and_stored_hashed(client: Client, employer: User) -> None:
    client.force_login(employer)
    page = client.post(PAGE, {"name": "Our ATS", "scope": "write"})
    assert page.status_code == 200
    [secret] = re.findall(r'value="(mpt_[0-9a-f]{12}_[\w-]{43})"', page.content.decode())
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.user, token.last_used_at) == (
        "Our ATS",
        "write",
        employer,
        None,
    )
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())  # only its digest is kept
    again = client.get(PAGE).content.decode()
    assert secret not in again and f"mpt_{token.prefix}_…" in again and "Never" in again

    assert client.get("/api/v1/employer/jobs", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in client.get(PAGE).content.decode()


def test_a_revoked_token_stops_working_at_once(
    client: Client, employer: User, write_token: str
) -> None:
    client.force_login(employer)
    token = ApiToken.objects.get()
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert client.get("/api/v1/employer/jobs", **bearer(write_token)).status_code == 401
    assert "Revoked" in client.get(PAGE).content.decode()


def test_only_the_owner_may_revoke_a_token(
    client: Client, other_employer: User, write_token: str
) -> None:
    client.force_login(other_employer)
    token = ApiToken.objects.get()
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert write_token not in client.get(PAGE).content.decode()


def test_the_page_needs_a_sign_in_and_a_company(client: Client, outsider: User) -> None:
    assert client.get(PAGE).status_code == 302
    client.force_login(outsider)
    assert client.get(PAGE)["Location"] == reverse("companies:create")


def test_a_token_needs_a_name(client: Client, employer: User) -> None:
    client.force_login(employer)
    page = client.post(PAGE, {"name": "  ", "scope": "read"})
    assert "Name the token" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_too_many_requests_from_one_address_get_a_429(client: Client, settings) -> None:
    settings.API_REQUESTS_PER_IP_PER_MINUTE = 3
    for _ in range(3):
        assert client.get("/api/v1/jobs").status_code == 200
    response = client.get("/api/v1/jobs")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]
    other = client.get("/api/v1/jobs", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_too_many_requests_with_one_token_get_a_429(
    client: Client, settings, write_token: str, read_token: str
) -> None:
    settings.API_REQUESTS_PER_TOKEN_PER_MINUTE = 2
    for n in range(2):
        ip = {"REMOTE_ADDR": f"198.51.100.{n}"}
        assert client.get("/api/v1/employer/jobs", **ip, **bearer(write_token)).status_code == 200
    limited = client.get("/api/v1/employer/jobs", REMOTE_ADDR="198.51.100.7", **bearer(write_token))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert client.get("/api/v1/employer/jobs", **bearer(read_token)).status_code == 200


def test_every_operation_documents_429(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method} {path}"
            assert "400" in operation["responses"], f"{method} {path}"
