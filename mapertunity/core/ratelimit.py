"""A fixed-window counter in Django's cache, enough to slow down abuse (sign-ups, edits).

With the default per-process cache each server counts on its own; point CACHES at
Redis or Memcached to share the counts between servers.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allow(scope: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt by `subject`; False once it has made `limit` in this window."""
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"rate:{scope}:{digest}:{int(time.time() // window_seconds)}"
    if cache.add(key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
