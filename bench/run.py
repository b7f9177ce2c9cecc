"""`make bench`: the map index against SQL GROUP BY and supercluster, on the same data.

    make bench                      # 1M jobs (a few minutes)
    make bench ARGS="--10m"         # 10M jobs (the targets' size; ~30-40 minutes)
    make bench ARGS="--jobs 200000 --skip-node --skip-http"

Generates jobs clustered around real cities, then measures in one run: the index's build
time and bytes per job; viewport queries at zooms 2, 6, 10 and 14 (unfiltered, type +
salary, a common keyword, a rare keyword, all three); the same queries as SQL GROUP BY on
the Morton key on SQLite and (when DATABASE_URL or --pg names a server) PostgreSQL, in a
database it creates and drops; supercluster in Node; and requests/s of the clusters
endpoint under gunicorn against a bare Django JSON view. Prints one table and writes
bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the package is wanted instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

TARGETS = {
    "build_s": 10.0,
    "bytes_per_job": 40.0,
    "unfiltered_p50_ms": 1.0,
    "filtered_p99_ms": 20.0,
    "world_speedup": 1000.0,
    "http_ratio": 0.8,
    "http_repeated": 1.0,
    "gazetteer_load_s": 1.5,
    "gazetteer_search_ms": 5.0,
}
TARGET_SIZE = 10_000_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000_000, help="jobs to generate")
    parser.add_argument("--10m", dest="ten_million", action="store_true", help="10M jobs")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--views", type=int, default=40, help="viewports per zoom")
    parser.add_argument("--runs", type=int, default=300, help="index queries per cell")
    parser.add_argument("--sql-runs", type=int, default=25, help="SQL queries per cell, at most")
    parser.add_argument("--sql-budget", type=float, default=None, help="seconds per SQL cell")
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL URL")
    parser.add_argument("--skip-sql", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-node", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--http-seconds", type=float, default=15.0)
    parser.add_argument("--http-requests", type=int, default=20_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    if args.ten_million:
        args.jobs = TARGET_SIZE
    if args.sql_budget is None:
        args.sql_budget = 4.0 if args.jobs <= 2_000_000 else 8.0
    if not args.pg.startswith(("postgres://", "postgresql://")):
        args.pg = ""
    return args


def _pg_admin(url: str):
    import psycopg
    from django.db.backends.postgresql.base import DatabaseWrapper  # noqa: F401 (psycopg present)

    return psycopg.connect(url, autocommit=True)


def setup(args: argparse.Namespace, work: Path) -> tuple[dict[str, str], str | None]:
    """Environment for Django (a temp SQLite database, maybe a new PostgreSQL one)."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        MAPERTUNITY_VAR_DIR=str(work),
        MAP_INDEX_DIR=str(work / "mapindex"),
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOG_LEVEL="WARNING",
    )
    pg_name = None
    if args.pg and not args.skip_pg and not args.skip_sql:
        from urllib.parse import urlsplit, urlunsplit

        pg_name = f"mapertunity_bench_{os.getpid()}"
        with _pg_admin(args.pg) as admin:
            admin.execute(f'CREATE DATABASE "{pg_name}"')
        parts = urlsplit(args.pg)
        env["BENCH_PG_URL"] = urlunsplit(parts._replace(path=f"/{pg_name}"))
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if pg_name:
        call_command("migrate", database="pg", verbosity=0, interactive=False)
    return env, pg_name


def teardown(args: argparse.Namespace, pg_name: str | None) -> None:
    if not pg_name:
        return
    from django.db import connections

    connections.close_all()
    with _pg_admin(args.pg) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="mapertunity-bench-"))
    pg_name = None
    results: dict = {"jobs": args.jobs, "machine": _machine(), "started": time.time()}
    results["load_before"] = _load_average()
    try:
        env, pg_name = setup(args, work)
        from bench import engine, viewports
        from bench.data import generate

        results["gazetteer"] = _gazetteer()
        log(f"Generating {args.jobs:,} jobs around real cities ...")
        started = time.perf_counter()
        jobs = generate(args.jobs, seed=args.seed)
        results["generate_s"] = time.perf_counter() - started
        results["cities"] = jobs.city_count
        views = viewports.viewports(jobs.lats, jobs.lngs, args.views)

        log("Index: build, snapshot, queries ...")
        index, build_s = engine.build(jobs)
        results["index"] = {
            "build_s": build_s,
            "bytes": index.nbytes,
            "bytes_per_job": index.nbytes / len(jobs),
            "snapshot": engine.snapshot_times(index),
        }
        # Timed on the memory-mapped snapshot, the arrays every server process reads.
        served = engine.mapped(index, work / "served")
        del index
        timings, cold, totals = engine.queries(served, jobs, views, runs=args.runs)
        results["index"]["queries"] = _timings(timings)
        results["index"]["first_use_ms"] = {k: v * 1e3 for k, v in cold.items()}
        del served

        if not args.skip_sql:
            from bench import sql

            for alias, label in (("default", "sqlite"), ("pg", "postgresql")):
                if alias == "pg" and not pg_name:
                    results["postgresql"] = {"skipped": "no DATABASE_URL or --pg given"}
                    continue
                log(f"{label}: loading {args.jobs:,} jobs into the site's schema ...")
                loaded = sql.load(jobs, alias, log)
                if alias == "default":
                    results["index"]["startup_from_db_s"] = _startup_from_db(log)
                log(f"{label}: GROUP BY queries ...")
                timings, first = sql.queries(
                    alias,
                    views,
                    engine.FILTERS,
                    max_runs=args.sql_runs,
                    budget_s=args.sql_budget,
                )
                mismatches = [
                    f"{name} z{zoom}: sql {count} index {totals[(name, zoom)][0]}"
                    for (name, zoom), count in first.items()
                    if count != totals[(name, zoom)][0]
                ]
                results[label] = {
                    **loaded,
                    "bytes_per_job": loaded["bytes"] / len(jobs),
                    "queries": _timings(timings),
                    "keyword_fetch_ms": {
                        "common": sql.keyword_fetch(alias, "engineer") * 1e3,
                        "rare": sql.keyword_fetch(alias, "zookeeper") * 1e3,
                    },
                    "count_mismatches": mismatches,
                }
                for line in mismatches:
                    log(f"  ! count differs from the index: {line}")
        else:
            results["sqlite"] = results["postgresql"] = {"skipped": "--skip-sql"}

        if not args.skip_node:
            from bench import node

            log("supercluster (Node) ...")
            results["supercluster"] = node.run(
                jobs, views, runs=min(args.runs, 200), timeout_s=1800, progress=log
            )
        else:
            results["supercluster"] = {"skipped": "--skip-node"}

        if not args.skip_http and not args.skip_sql:
            from django.db import connections

            from bench import web

            connections.close_all()
            log("HTTP: gunicorn, clusters endpoint vs a bare JSON view ...")
            results["http"] = web.run(
                env,
                views,
                seconds=args.http_seconds,
                max_requests=args.http_requests,
                workers=2,
                warmup_timeout_s=1800,
                progress=log,
            )
        else:
            results["http"] = {"skipped": "--skip-http" if args.skip_http else "needs the SQL load"}
    finally:
        teardown(args, pg_name)
        shutil.rmtree(work, ignore_errors=True)

    results["finished"] = time.time()
    results["load_after"] = _load_average()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(report(results))
    log(f"Results written to {out}")
    return 0


def _startup_from_db(log) -> float:  # noqa: ANN001
    """Seconds for a server's first index: read every live job from the database, build,
    write the shared snapshot and map it (what the first process does after a deploy)."""
    from mapertunity.jobs import mapindex

    log("Index: startup from the database ...")
    mapindex.reset()
    started = time.perf_counter()
    mapindex.live_index().refresh(timeout=3600)
    took = time.perf_counter() - started
    mapindex.reset()
    return took


def _gazetteer() -> dict[str, float]:
    """The offline place search's load time (each process pays it once) and the mean time
    of a typed query, as the place box asks it."""
    from mapertunity.geo.gazetteer import Gazetteer

    log("Gazetteer: load, search ...")
    fresh = Gazetteer()
    fresh.load()
    queries = ["a", "s", "new", "Austin, TX", "München", "78701", "Paris, France", "zzzz"] * 25
    started = time.perf_counter()
    for query in queries:
        fresh.search(query)
    search_ms = (time.perf_counter() - started) / len(queries) * 1e3
    return {"load_s": fresh.load_seconds, "search_ms": search_ms}


def _load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _timings(timings: dict) -> dict:
    return {
        name: {str(z): t.as_dict() for z, t in zooms.items()} for name, zooms in timings.items()
    }


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# -- the table --------------------------------------------------------------------------


def _ms(cell: dict | None) -> str:
    if not cell:
        return "—"

    def fmt(v: float) -> str:
        if v >= 1000:
            return f"{v / 1000:.1f}s"
        return f"{v:.2f}" if v < 10 else f"{v:.0f}"

    runs = f" ({cell['runs']})" if cell.get("runs", 100) < 10 else ""
    return f"{fmt(cell['p50_ms'])} / {fmt(cell['p99_ms'])}{runs}"


def _ok(passed: bool) -> str:
    return "met" if passed else "MISSED"


def report(r: dict) -> str:
    n = r["jobs"]
    at_target = n >= TARGET_SIZE
    note = "" if at_target else f" (targets are for {TARGET_SIZE:,} jobs)"
    idx = r["index"]
    sq, pg, sc, http = r.get("sqlite", {}), r.get("postgresql", {}), r["supercluster"], r["http"]
    rows: list[tuple[str, ...]] = []
    header = ("", "index", "target", "", "SQLite", "PostgreSQL", "supercluster")

    def other(side: dict, key: str, fmt) -> str:
        if "skipped" in side:
            return "skipped"
        return fmt(side.get(key)) if side.get(key) is not None else "—"

    rows.append(
        (
            "build / load (s)",
            f"{idx['build_s']:.2f}",
            f"≤ {TARGETS['build_s']:.0f}",
            _ok(idx["build_s"] <= TARGETS["build_s"]),
            other(sq, "load_s", lambda v: f"{v:.1f} load"),
            other(pg, "load_s", lambda v: f"{v:.1f} load"),
            other(sc, "build_s", lambda v: f"{v:.1f}"),
        )
    )
    sc_bytes = None if "skipped" in sc else sc.get("heap_bytes", 0) / max(sc.get("n", 1), 1)
    rows.append(
        (
            "bytes per job",
            f"{idx['bytes_per_job']:.1f}",
            f"≤ {TARGETS['bytes_per_job']:.0f}",
            _ok(idx["bytes_per_job"] <= TARGETS["bytes_per_job"]),
            other(sq, "bytes_per_job", lambda v: f"{v:.0f} (db)"),
            other(pg, "bytes_per_job", lambda v: f"{v:.0f} (db)"),
            "skipped" if sc_bytes is None else f"{sc_bytes:.0f} (heap)",
        )
    )
    rows.append(("viewport query ms, p50 / p99", "", "", "", "", "", ""))
    filters = list(idx["queries"])
    for zoom in ("2", "6", "10", "14"):
        for name in filters:
            mine = idx["queries"][name][zoom]
            target, verdict = "", ""
            if name == "unfiltered":
                target = f"p50 ≤ {TARGETS['unfiltered_p50_ms']:.0f}"
                verdict = _ok(mine["p50_ms"] <= TARGETS["unfiltered_p50_ms"])
            elif name in ("type+salary+keyword", "posted 7 days", "near 50 km"):
                target = f"p99 ≤ {TARGETS['filtered_p99_ms']:.0f}"
                verdict = _ok(mine["p99_ms"] <= TARGETS["filtered_p99_ms"])
            sc_cell = (
                ""
                if name != "unfiltered"
                else ("skipped" if "skipped" in sc else _ms(sc["zooms"].get(zoom)))
            )
            rows.append(
                (
                    f"  z{zoom} {name}",
                    _ms(mine),
                    target,
                    verdict,
                    "skipped" if "skipped" in sq else _ms(sq["queries"][name][zoom]),
                    "skipped" if "skipped" in pg else _ms(pg["queries"][name][zoom]),
                    sc_cell,
                )
            )
    world = idx["queries"]["unfiltered"]["2"]["p50_ms"]
    speedups = []
    cells = []
    for side in (sq, pg):
        if "skipped" in side:
            cells.append("skipped")
            continue
        ratio = side["queries"]["unfiltered"]["2"]["p50_ms"] / world
        speedups.append(ratio)
        cells.append(f"{ratio:,.0f}×")
    rows.append(
        (
            "world view: index vs SQL",
            f"{world:.2f} ms",
            f"≥ {TARGETS['world_speedup']:,.0f}×",
            _ok(bool(speedups) and min(speedups) >= TARGETS["world_speedup"]) if speedups else "",
            *cells,
            "",
        )
    )
    if idx.get("startup_from_db_s") is not None:
        rows.append(
            (
                "startup from the database (s)",
                f"{idx['startup_from_db_s']:.1f}",
                "",
                "",
                "read + build + snapshot",
                "",
                "",
            )
        )
    if gazetteer := r.get("gazetteer"):
        load_ok = gazetteer["load_s"] <= TARGETS["gazetteer_load_s"]
        search_ok = gazetteer["search_ms"] <= TARGETS["gazetteer_search_ms"]
        rows.append(
            (
                "gazetteer load (s) / search (ms)",
                f"{gazetteer['load_s']:.2f} / {gazetteer['search_ms']:.2f}",
                f"≤ {TARGETS['gazetteer_load_s']} / ≤ {TARGETS['gazetteer_search_ms']:.0f}",
                _ok(load_ok and search_ok),
                "",
                "",
                "",
            )
        )
    first = idx["first_use_ms"]
    rows.append(
        (
            "first use of a keyword (ms)",
            f"{first['common keyword']:.0f} ids→rows",
            "",
            "",
            other(sq, "keyword_fetch_ms", lambda v: f"{v['common']:.0f} fetch ids"),
            other(pg, "keyword_fetch_ms", lambda v: f"{v['common']:.0f} fetch ids"),
            "",
        )
    )
    if "skipped" in http:
        rows.append(
            ("HTTP req/s clusters vs bare", "skipped", "≥ 80%", "", http["skipped"], "", "")
        )
    else:
        bare = http["bare"]
        for label, kind, target in (
            ("HTTP req/s: new viewports / bare", "", TARGETS["http_ratio"]),
            ("HTTP req/s: repeated views / bare", "_repeated", TARGETS["http_repeated"]),
            ("HTTP req/s: repeated, If-None-Match", "_conditional", TARGETS["http_repeated"]),
            ("HTTP req/s: tiles of new views / bare", "_tiles", TARGETS["http_ratio"]),
            ("HTTP req/s: tiles never asked / bare", "_tiles_cold", TARGETS["http_ratio"]),
        ):
            if "ratio" + kind not in http:
                continue
            cell = http[kind.removeprefix("_") if kind.startswith("_tiles") else "clusters" + kind]
            ratio = http["ratio" + kind]
            spread = http.get("ratios" + kind, [ratio])
            rows.append(
                (
                    label,
                    f"{cell['rps']:.0f} / {bare['rps']:.0f}",
                    f"≥ {target:.0%}",
                    f"{_ok(ratio >= target)} ({ratio:.0%}; rounds {min(spread):.0%}–"
                    f"{max(spread):.0%})",
                    f"p50 {cell['p50_ms']:.1f} / {bare['p50_ms']:.1f} ms",
                    f"{cell['errors']} errors" if cell["errors"] else "",
                    "",
                )
            )
        if latency := http.get("write_to_map_s"):
            rows.append(
                (
                    "write to map, HTTP (s) p50 / max",
                    f"{latency['p50_s']:.2f} / {latency['max_s']:.2f}",
                    "≤ 1",
                    _ok(latency["max_s"] <= 1.0),
                    f"{latency['tries']} writes",
                    "",
                    "",
                )
            )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        f"Mapertunity map benchmark: {n:,} jobs around {r.get('cities', 0):,} cities, "
        f"{r['machine']['cpus']} CPUs{note}",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(
        "SQL cells with (k) ran k times (at least 3) within the time budget; p99 of few runs "
        "is their max. Index times are on the memory-mapped snapshot, overlap merge included."
    )
    if "rounds" in http:
        loads = ", ".join(f"{r['load'][0]:.1f}" for r in http["rounds"])
        lines.append(f"HTTP: {len(http['rounds'])} rounds, load average after each: {loads}.")
        if "markers_ready_s" in http:
            lines.append(
                f"Single jobs' markers file written beside the snapshot "
                f"{http['markers_ready_s']:.1f} s after the first fresh answer (SQL until then)."
            )
        if "tiles_per_view" in http:
            lines.append(
                f"The site's map asks for the 512 px tiles of a view: {http['tiles_per_view']:.1f} "
                "requests per new view at 1280×800 px, each tile another view asked for served "
                f"from the answer cache; 'never asked' is {http['cold_tiles']:,} tiles no request "
                "had asked for (every one computed)."
            )
            if "tiles" in http and "clusters" in http:
                per_view = http["tiles"]["rps"] / http["tiles_per_view"]
                lines.append(
                    f"Per view, not per request: {per_view:.0f} new views/s by tile (every "
                    f"tile asked again, no browser or CDN cache in front) against "
                    f"{http['clusters']['rps']:.0f} new views/s by viewport (one request "
                    "each): tiles pay off where a cache in front answers their repeats."
                )
    lines.append(
        f"Load average (1, 5, 15 min) before: {r.get('load_before')}, after: "
        f"{r.get('load_after')} on {r['machine']['cpus']} CPUs shared with other work."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
