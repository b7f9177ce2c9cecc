"""Fixtures for the blog's tests; the personas live in tests/conftest.py."""

from __future__ import annotations

import pytest

from mapertunity.accounts.models import User
from mapertunity.blog.models import Author
from tests.helpers import with_mfa

from .helpers import make_author


@pytest.fixture
def staff(db: None) -> User:
    return with_mfa(User.objects.create_user("editor@mapertunity.example.com", "pw", is_staff=True))


@pytest.fixture
def superuser(db: None) -> User:
    return with_mfa(User.objects.create_superuser("chief@mapertunity.example.com", "pw"))


@pytest.fixture
def author(staff: User) -> Author:
    return make_author(name="Ada Field", slug="ada-field", user=staff, mission="Writes guides.")
