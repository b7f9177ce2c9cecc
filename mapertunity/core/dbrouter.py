"""Reads from a PostgreSQL streaming replica, writes to the primary, and people see their
own writes (enabled by DATABASE_REPLICA_URL; see the README, "Growing past one machine").

The replica is opt-in per request: :class:`ReplicaRoutingMiddleware` lets the safe requests
(GET, HEAD, OPTIONS) of a visitor without a recent write read from it. Everything else —
a POST and whatever it reads, the task workers, management commands, the map's change-log
poll (a thread of its own, outside any request) — reads the primary, which a replica lags.

After a request that wrote anything (an unsafe method, or a write the router saw during a
GET) the response carries a cookie that pins the visitor's reads to the primary for
REPLICA_PIN_SECONDS, longer than replication takes, so their next page shows the job they
just posted. The cookie only ever sends reads to the primary, so forging one gains nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "mapertunity_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Routing:
    """How the current request reads; the router flips it to the primary on a write."""

    use_replica: bool
    wrote: bool = False


_routing: contextvars.ContextVar[Routing | None] = contextvars.ContextVar(
    "mapertunity_db_routing", default=None
)


class PrimaryReplicaRouter:
    """Django's database router for the aliases "default" (primary) and "replica"."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        routing = _routing.get()
        if routing is None or not routing.use_replica:
            return PRIMARY
        # Inside a transaction on the primary, read what it has written and locked.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        routing = _routing.get()
        if routing is not None:
            # This request's later reads, and the visitor's next few, see the write.
            routing.wrote = True
            routing.use_replica = False
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both aliases

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Marks the request replica-readable or not, and pins a writer to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        routing = Routing(use_replica=safe and PIN_COOKIE not in request.COOKIES)
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.wrote or not safe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def reading_from_replica() -> bool:
    """Whether a read made now would go to the replica (for tests and diagnostics)."""
    return PrimaryReplicaRouter().db_for_read(object) == REPLICA
