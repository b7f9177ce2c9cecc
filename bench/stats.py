"""Timing helpers shared by the benchmark parts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    samples: list[float]
    """Seconds per run."""

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)

    def as_dict(self) -> dict[str, float]:
        return {"p50_ms": self.p50 * 1e3, "p99_ms": self.p99 * 1e3, "runs": len(self.samples)}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def run_timed(
    calls: list[Callable[[], object]], *, min_runs: int, max_runs: int, budget_s: float
) -> Timing:
    """Cycle through ``calls`` until ``max_runs`` or the budget is spent (at least
    ``min_runs``); each sample is one call."""
    samples: list[float] = []
    spent = 0.0
    i = 0
    while len(samples) < max_runs and (len(samples) < min_runs or spent < budget_s):
        call = calls[i % len(calls)]
        started = time.perf_counter()
        call()
        took = time.perf_counter() - started
        samples.append(took)
        spent += took
        i += 1
    return Timing(samples)
