"""Cursor pagination: ``?cursor=`` from the previous page's ``next_cursor``, ``limit`` rows.

A cursor is signed, so a client can't forge one; it names the last row seen (the row's
sort key and id), so a page never repeats or skips rows when new ones arrive meanwhile.
Search results, ordered by relevance, carry their position instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from ninja import Field

from .errors import APIError

SALT = "mapertunity.api.cursor"
M = TypeVar("M", bound=Model)
T = TypeVar("T")


class Sliceable(Protocol[T]):
    """Rows that give a slice of themselves as a list (``jobs.listing.OrderedJobs``)."""

    def __getitem__(self, window: slice, /) -> list[T]: ...


CURSOR = Field("", max_length=400, description="`next_cursor` of the previous page.")
LIMIT = Field(20, ge=1, le=100, description="Items a page (1–100).")


def _bad() -> APIError:
    return APIError(400, errors={"cursor": ["This cursor is not one we gave out; start over."]})


def read_cursor(cursor: str, kind: str) -> Any:
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=f"{SALT}.{kind}")
    except signing.BadSignature:
        raise _bad() from None
    return data


def keyset_page(
    rows: QuerySet[M], *, cursor: str, limit: int, kind: str, field: str = "created_at"
) -> tuple[list[M], str | None]:
    """Newest first by ``field`` then primary key; the page and the next page's cursor."""
    rows = rows.order_by(f"-{field}", "-pk")
    position = read_cursor(cursor, kind)
    if position is not None:
        try:
            when, pk = dt.datetime.fromisoformat(position[0]), position[1]
        except (TypeError, ValueError, IndexError, KeyError):
            raise _bad() from None
        rows = rows.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk}))
    found = list(rows[: limit + 1])
    page, more = found[:limit], len(found) > limit
    if not more:
        return page, None
    last = page[-1]
    value = getattr(last, field)
    token = signing.dumps([value.isoformat(), str(last.pk)], salt=f"{SALT}.{kind}")
    return page, token


def offset_page(
    rows: Sliceable[T], *, cursor: str, limit: int, kind: str
) -> tuple[list[T], str | None]:
    """Rows in their own order (search's, see ``jobs.listing``); the cursor carries the
    position."""
    offset = read_cursor(cursor, kind) or 0
    if not isinstance(offset, int) or offset < 0:
        raise _bad()
    found = list(rows[offset : offset + limit + 1])
    page = found[:limit]
    more = len(found) > limit
    return page, signing.dumps(offset + limit, salt=f"{SALT}.{kind}") if more else None
