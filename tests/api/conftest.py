"""Tokens for the API tests: the employer's, read and write, and another company's."""

from __future__ import annotations

import pytest

from mapertunity.accounts.models import User
from mapertunity.api.actions import create_token
from mapertunity.companies.models import Company


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _token(user: User, scope: str) -> str:
    company = Company.objects.for_user(user).get()
    return create_token(user=user, company=company, name=f"ATS {scope}", scope=scope)[1]


@pytest.fixture
def write_token(employer: User) -> str:
    return _token(employer, "write")


@pytest.fixture
def read_token(employer: User) -> str:
    return _token(employer, "read")


@pytest.fixture
def other_token(other_employer: User) -> str:
    return _token(other_employer, "write")
