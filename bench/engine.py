"""The Mapertunity geo index: build time, size, and viewport queries."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from bench.data import COMMON_WORD, RARE_WORD, Jobs
from bench.stats import Timing, run_timed
from mapertunity.geo import snapshot
from mapertunity.geo.index import IdList, PointIndex, Where

PAY_FLOOR_USD = 60_000

FILTERS = ("unfiltered", "type+salary", "common keyword", "rare keyword", "type+salary+keyword")


def wheres(jobs: Jobs) -> dict[str, Where]:
    common = IdList(("kw", COMMON_WORD), jobs.with_word(COMMON_WORD))
    rare = IdList(("kw", RARE_WORD), jobs.with_word(RARE_WORD))
    type_pay = {"categories": {"type": frozenset({0})}, "minimums": {"pay": PAY_FLOOR_USD // 100}}
    return {
        "unfiltered": Where(),
        "type+salary": Where(**type_pay),
        "common keyword": Where(ids=common),
        "rare keyword": Where(ids=rare),
        "type+salary+keyword": Where(**type_pay, ids=common),
    }


def build(jobs: Jobs) -> tuple[PointIndex, float]:
    started = time.perf_counter()
    index = PointIndex.build(
        jobs.ids,
        jobs.lats,
        jobs.lngs,
        categories={"type": (jobs.type_code, 5), "workplace": (jobs.workplace_code, 3)},
        values={
            "pay": np.minimum(jobs.pay_usd_year // 100, 65_535).astype(np.uint16),
            "posted": jobs.posted_day.astype(np.uint16),
        },
        band="pay",
    )
    return index, time.perf_counter() - started


def snapshot_times(index: PointIndex) -> dict[str, float]:
    """Writing the shared snapshot, and mapping it as another worker process would."""
    with tempfile.TemporaryDirectory(prefix="mapertunity-bench-") as folder:
        started = time.perf_counter()
        version = snapshot.write(Path(folder), "bench", index, {"token": {}})
        written = time.perf_counter() - started
        started = time.perf_counter()
        mapped, _ = snapshot.load(Path(folder), "bench", version)
        mapped.query(-180, -85, 180, 85, 2)
        loaded = time.perf_counter() - started
    return {"write_s": written, "map_and_first_query_s": loaded}


def queries(
    index: PointIndex, jobs: Jobs, views: dict[int, list], *, runs: int
) -> tuple[dict[str, dict[int, Timing]], dict[str, float], dict[tuple[str, int], list[int]]]:
    """p50/p99 per filter and zoom; the first (cold) use of each id list; totals per view."""
    out: dict[str, dict[int, Timing]] = {}
    cold: dict[str, float] = {}
    totals: dict[tuple[str, int], list[int]] = {}
    for name, where in wheres(jobs).items():
        started = time.perf_counter()
        index.query(-180, -85, 180, 85, 2, where=where)
        cold[name] = time.perf_counter() - started
        out[name] = {}
        for zoom, boxes in views.items():
            totals[(name, zoom)] = [
                index.query(w, s, e, n, z, where=where).total for w, s, e, n, z in boxes
            ]
            # The answer is complete as columns (counts, centroids, boxes, single ids), which
            # the API serialises directly; no per-group Python objects are made.
            calls = [(lambda b=b, where=where: index.query(*b, where=where)) for b in boxes]
            out[name][zoom] = run_timed(calls, min_runs=runs, max_runs=runs, budget_s=0)
    return out, cold, totals
