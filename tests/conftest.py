"""Personas and small helpers shared by the whole suite (settings: tests/settings.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company

from .helpers import make_company, verify_email


@pytest.fixture
def employer(db: None) -> User:
    user = User.objects.create_user("hiring@harbor.example.com", "correct-horse-battery")
    make_company(owner=user, name="Harbor Freight Co-op", slug="harbor-freight-co-op")
    verify_email(user)
    return user


@pytest.fixture
def other_employer(db: None) -> User:
    user = User.objects.create_user("jobs@rival.example.com", "correct-horse-battery")
    make_company(owner=user, name="Rival Logistics", slug="rival-logistics")
    verify_email(user)
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return User.objects.create_user("someone@example.org", "correct-horse-battery")


@pytest.fixture
def company(employer: User) -> Company:
    return Company.objects.for_user(employer).get()


@pytest.fixture
def unverified_employer(db: None) -> User:
    user = User.objects.create_user("new@startup.example.com", "correct-horse-battery")
    make_company(owner=user, name="Fresh Startup", slug="fresh-startup")
    return user


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits (allauth's, the blog's) live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_map_indexes() -> Iterator[None]:
    """The map indexes, their threads and their cache are per process: each test starts
    with none (a rolled-back test leaves no trace in the change log) and stops its own."""
    from mapertunity.candidates import mapindex as candidate_map
    from mapertunity.jobs import mapindex

    mapindex.reset()
    candidate_map.reset()
    yield
    mapindex.reset()
    candidate_map.reset()
