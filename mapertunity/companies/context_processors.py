from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest

from .access import is_employer


def employer(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """``is_employer`` for the header; a callable, so pages that never ask don't query."""
    return {"is_employer": functools.cache(functools.partial(is_employer, request.user))}
