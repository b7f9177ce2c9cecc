"""A per-process geo index kept in step with a database table.

Each server process holds its own read-only index; before answering it checks, at most
every MAP_INDEX_REFRESH_SECONDS, a cheap stamp of the table and rebuilds on a change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from django.conf import settings

from mapertunity.geo.index import PointIndex


class IndexCache:
    def __init__(self, *, stamp: Callable[[], Hashable], build: Callable[[], PointIndex]) -> None:
        self._stamp_fn = stamp
        self._build_fn = build
        self._lock = threading.Lock()
        self._index: PointIndex | None = None
        self._stamp: Hashable = None
        self._checked_at = 0.0

    def get(self) -> PointIndex:
        fresh = time.monotonic() - self._checked_at < settings.MAP_INDEX_REFRESH_SECONDS
        if self._index is not None and fresh:
            return self._index
        with self._lock:
            stamp = self._stamp_fn()
            if self._index is None or stamp != self._stamp:
                self._index, self._stamp = self._build_fn(), stamp
            self._checked_at = time.monotonic()
            return self._index
