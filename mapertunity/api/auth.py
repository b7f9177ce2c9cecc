"""Bearer tokens and rate limits for the API.

Every request counts against its IP address; a request with a token also counts against
that token. Both windows live in Django's cache (``core/ratelimit.py``), shared between
servers when ``CACHES`` points at Redis or Memcached. Past either limit the answer is a
429 with ``Retry-After`` (seconds to the end of the window).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError
from ninja.security import HttpBearer

from mapertunity.core.ratelimit import allow

from .actions import check_token
from .errors import error_body
from .models import ApiToken

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mpt_…``: a personal token made on the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return check_token(token.strip())


token_auth = TokenAuth()


def api_token(request: HttpRequest) -> ApiToken:
    """The token the request was authenticated with (operations behind ``token_auth``)."""
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)
    return token


def writer(request: HttpRequest) -> ApiToken:
    """The token, if it may change things; 403 for a read-only one."""
    token = api_token(request)
    if not token.can_write:
        raise HttpError(403, "This token is read only; make a read and write token to do this.")
    return token


def _too_many(limit: int) -> HttpResponse:
    response = JsonResponse(
        error_body(f"Too many requests: at most {limit} a minute. Try again shortly."),
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS or 1)
    return response


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the request by IP and by token before the operation runs (0 turns a limit off)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        per_ip = settings.API_REQUESTS_PER_IP_PER_MINUTE
        ip = request.META.get("REMOTE_ADDR", "")
        if per_ip and not allow("api-ip", ip, limit=per_ip, window_seconds=WINDOW_SECONDS):
            return _too_many(per_ip)
        header = request.headers.get("Authorization", "")
        per_token = settings.API_REQUESTS_PER_TOKEN_PER_MINUTE
        if (
            per_token
            and header
            and not allow("api-token", header, limit=per_token, window_seconds=WINDOW_SECONDS)
        ):
            return _too_many(per_token)
        return view(request, *args, **kwargs)

    return wrapper
