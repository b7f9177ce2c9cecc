"""Growing pauses between attempts at something that keeps failing (a database, a process)."""

from __future__ import annotations

import time
from collections.abc import Callable


class Backoff:
    """Pauses of `first`, 2×, 4× … seconds, at most `cap`, one per failure in a row.

    A failure after more than `reset_after` seconds without one counts as the first again,
    so a process that ran fine for a while is retried quickly. `jitter` scales each pause
    (a random factor spreads the retries of many workers; the default keeps it exact).
    """

    def __init__(
        self,
        *,
        first: float = 1.0,
        cap: float = 30.0,
        reset_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = lambda: 1.0,
    ) -> None:
        self.first, self.cap, self.reset_after = first, cap, reset_after
        self.clock, self.jitter = clock, jitter
        self._failures = 0
        self._last_failure: float | None = None

    def next_delay(self) -> float:
        """Record a failure; the seconds to wait before trying again."""
        now = self.clock()
        if self._last_failure is None or now - self._last_failure > self.reset_after:
            self._failures = 0
        self._last_failure = now
        delay = min(self.cap, self.first * 2**self._failures)
        self._failures += 1
        return delay * self.jitter()
