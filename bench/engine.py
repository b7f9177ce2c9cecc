"""The Mapertunity geo index: build time, size, and viewport queries."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from bench.data import COMMON_WORD, RARE_WORD, Jobs
from bench.stats import Timing, run_timed
from mapertunity.geo import snapshot
from mapertunity.geo.distance import Near
from mapertunity.geo.index import IdList, PointIndex, Where
from mapertunity.geo.merge import merge_nearby_result

PAY_FLOOR_USD = 60_000

FILTERS = (
    "unfiltered",
    "type+salary",
    "common keyword",
    "rare keyword",
    "type+salary+keyword",
    "posted 7 days",
    "near 50 km",
)
POSTED_DAYS = 7
NEAR_KM = 50.0


def posted_since(jobs: Jobs) -> int:
    """The first day counted by "posted in the last 7 days" (the data's today is its max)."""
    return int(jobs.posted_day.max()) - (POSTED_DAYS - 1)


def near_of(box: tuple) -> Near:
    """A radius search around the viewport's centre (where its user looks)."""
    w, s, e, n, _ = box
    lng = (w + ((e - w) % 360 or 360) / 2 + 180) % 360 - 180
    return Near((s + n) / 2, lng, NEAR_KM)


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
        "posted 7 days": Where(minimums={"posted": posted_since(jobs)}),
        "near 50 km": Where(),  # per viewport: see near_of
    }


def where_for(name: str, where: Where, box: tuple) -> Where:
    return Where(near=near_of(box)) if name == "near 50 km" else where


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
    """p50/p99 per filter and zoom; the first (cold) use of each id list; totals per view.

    Each timed call is what the server does for a viewport: the query and the merge of
    clusters that would overlap on screen.
    """
    out: dict[str, dict[int, Timing]] = {}
    cold: dict[str, float] = {}
    totals: dict[tuple[str, int], list[int]] = {}
    for name, base_where in wheres(jobs).items():
        started = time.perf_counter()
        first_box = views[min(views)][0]
        index.query(-180, -85, 180, 85, 2, where=where_for(name, base_where, first_box))
        cold[name] = time.perf_counter() - started
        out[name] = {}
        for zoom, boxes in views.items():
            totals[(name, zoom)] = [
                index.query(w, s, e, n, z, where=where_for(name, base_where, b)).total
                for b in boxes
                for w, s, e, n, z in [b]
            ]
            # The answer is complete as columns (counts, centroids, boxes, single ids), which
            # the API serialises directly; no per-group Python objects are made.
            calls = [_call(index, b, where_for(name, base_where, b)) for b in boxes]
            out[name][zoom] = run_timed(calls, min_runs=runs, max_runs=runs, budget_s=0)
    return out, cold, totals


def _call(index: PointIndex, box: tuple, where: Where):  # noqa: ANN202
    def call() -> object:
        return merge_nearby_result(index.query(*box, where=where), box[4])

    return call


def mapped(index: PointIndex, folder: Path) -> PointIndex:
    """The index as the server serves it: written as a snapshot and memory-mapped."""
    version = snapshot.write(folder, "served", index, {"token": {}})
    served, _ = snapshot.load(folder, "served", version)
    return served
