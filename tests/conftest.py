"""Personas and small helpers shared by the whole suite (settings: tests/settings.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company

from .helpers import make_company, verify_email, with_mfa


def _established(domain: str) -> dict[str, Any]:
    """A company that proved its website's domain and had a posting approved before: what
    an employer who may see candidates and publish at once looks like."""
    now = timezone.now()
    return {
        "website": f"https://{domain}",
        "verified_domain": domain,
        "domain_verified_at": now,
        "postings_approved_at": now,
    }


@pytest.fixture
def employer(db: None) -> User:
    user = User.objects.create_user("hiring@harbor.example.com", "correct-horse-battery")
    make_company(
        owner=user,
        name="Harbor Freight Co-op",
        slug="harbor-freight-co-op",
        **_established("harbor.example.com"),
    )
    verify_email(user)
    return user


@pytest.fixture
def other_employer(db: None) -> User:
    user = User.objects.create_user("jobs@rival.example.com", "correct-horse-battery")
    make_company(
        owner=user,
        name="Rival Logistics",
        slug="rival-logistics",
        **_established("rival.example.com"),
    )
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
    """Signed up and made a company, but confirmed nothing: no email, no domain."""
    user = User.objects.create_user("new@startup.example.com", "correct-horse-battery")
    make_company(owner=user, name="Fresh Startup", slug="fresh-startup")
    return user


@pytest.fixture
def new_employer(db: None) -> User:
    """Confirmed their email and made a company a minute ago: its first posting is
    reviewed, and it may not see candidates until the company is verified."""
    user = User.objects.create_user("owner@corner-bakery.example.net", "correct-horse-battery")
    make_company(
        owner=user,
        name="Corner Bakery",
        slug="corner-bakery",
        website="https://corner-bakery.example.net",
    )
    verify_email(user)
    return user


@pytest.fixture
def staff(db: None) -> User:
    user = User.objects.create_superuser("moderator@mapertunity.example", "correct-horse-battery")
    verify_email(user)
    return with_mfa(user)


@pytest.fixture(autouse=True)
def _on_commit_as_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``transaction.on_commit`` callbacks when the code's own transaction commits.

    Each test runs inside a transaction that is rolled back at the end, so by default no
    callback would ever run. In production a view runs in autocommit mode: a callback
    registered outside ``atomic()`` runs at once, and one registered inside runs when the
    outermost ``atomic()`` commits (and is dropped if it rolls back). Here the test's own
    wrapping transaction counts as autocommit, so tasks enqueued on commit run exactly
    when they would on a real site.
    """
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_blocks(connection: BaseDatabaseWrapper) -> bool:
        return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)

    original_on_commit = BaseDatabaseWrapper.on_commit

    def on_commit(
        self: BaseDatabaseWrapper, func: Callable[[], None], robust: bool = False
    ) -> None:
        if self.in_atomic_block and only_test_blocks(self):
            func()
        else:
            original_on_commit(self, func, robust)

    original_exit = transaction.Atomic.__exit__

    def exit_(self: transaction.Atomic, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if self._from_testcase or not connection.in_atomic_block:
            return
        if only_test_blocks(connection) and connection.run_on_commit:
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _, func, _robust in pending:
                func()

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_)


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
