from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest

from .actions import unread_count


def unread(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """``unread_messages`` for the header; a callable, so pages that never show it don't count."""
    return {"unread_messages": functools.cache(functools.partial(unread_count, request.user))}
