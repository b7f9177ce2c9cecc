"""Fixtures for the blog's tests; the personas live in tests/conftest.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from mapertunity.accounts.models import User
from mapertunity.blog.models import Author, Category, Delivery, Post, Subscriber, Tag

from .helpers import make_author


@pytest.fixture(autouse=True)
def _fresh_blog(request: pytest.FixtureRequest) -> None:
    # Rate-limit counters live in the cache, which outlives a test.
    cache.clear()
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        # A test elsewhere may have committed demo data (seed_demo); start from nothing.
        request.getfixturevalue("db")
        for model in (Delivery, Post, Subscriber, Author, Category, Tag):
            model.objects.all().delete()


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("editor@mapertunity.example.com", "pw", is_staff=True)


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("chief@mapertunity.example.com", "pw")


@pytest.fixture
def author(staff: User) -> Author:
    return make_author(name="Ada Field", slug="ada-field", user=staff, mission="Writes guides.")
