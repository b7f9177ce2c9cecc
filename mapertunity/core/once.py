"""Side effects done at most once per key, for tasks that may run again after a crash.

A task checks `is_done(key)` before the side effect and calls `mark_done(key)` right after
it. A re-run then skips it, except when the process died between the side effect and the
mark: that window can't be closed from our side for anything outside the database (a
mail server has no transaction to join), so keep it short and make the repeat
recognisable (an email keeps the same Message-ID).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import DoneMark


def is_done(key: str) -> bool:
    return DoneMark.objects.filter(key=key).exists()


def mark_done(key: str, *, now: dt.datetime | None = None) -> None:
    # A unique key: two runs that both got here leave one row and no error.
    DoneMark.objects.bulk_create(
        [DoneMark(key=key, done_at=now or timezone.now())], ignore_conflicts=True
    )
