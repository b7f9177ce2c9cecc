"""The same viewport queries as SQL ``GROUP BY`` on the Morton key, on SQLite and PostgreSQL.

The jobs go into the site's own schema (made by its migrations), so the SQL side uses the
real table, its B-tree on ``morton_key`` and the real keyword search tables. Search
triggers are dropped during the bulk load and the search table is filled in one statement
afterwards (then the triggers come back), which is how one would load a big table.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import time
from itertools import repeat

import numpy as np
from django.db import connections

from bench.data import COMMON_WORD, RARE_WORD, TYPES, WORKPLACES, Jobs
from bench.engine import PAY_FLOOR_USD, near_of
from bench.stats import Timing, run_timed
from mapertunity.geo.cover import box_rects, intersect_rects
from mapertunity.geo.distance import h_limit
from mapertunity.geo.morton import bbox_key_ranges, morton_keys
from mapertunity.jobs import mapsource, search

CHUNK = 100_000
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
VALID = NOW + dt.timedelta(days=365)
SINCE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""Midnight of the first day "posted in the last 7 days" counts; set by :func:`load`."""
COLUMNS = (
    "id, title, slug, description, description_html, lat, lng, city, region, country, "
    "street_address, postal_code, morton_key, workplace, remote_countries, employment_type, "
    "salary_min, salary_max, salary_currency, salary_period, status, posted_at, valid_through, "
    "created_at, updated_at, company_id, created_by_id, pay_usd_year, review_note, "
    "review_reasons, title_key, text_key"
)


def _stamp(moment: dt.datetime, vendor: str) -> str:
    # SQLite holds naive UTC text; PostgreSQL parses the offset.
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return text if vendor == "sqlite" else text + "+00"


def _rows(jobs: Jobs, start: int, stop: int, company_id: int, vendor: str):
    titles = jobs.titles(start, stop)
    slugs = [t.lower().replace(" ", "-") for t in titles]
    keys = morton_keys(jobs.lats[start:stop], jobs.lngs[start:stop]).tolist()
    days = {
        d: _stamp(dt.datetime(1970, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=d), vendor)
        for d in np.unique(jobs.posted_day[start:stop]).tolist()
    }
    pay = jobs.pay_usd_year[start:stop].tolist()
    n = stop - start
    return zip(
        jobs.ids[start:stop].tolist(),
        titles,
        slugs,
        repeat("Benchmark job.", n),
        repeat("<p>Benchmark job.</p>", n),
        jobs.lats[start:stop].tolist(),
        jobs.lngs[start:stop].tolist(),
        repeat("Bench", n),
        repeat("", n),
        repeat("US", n),
        repeat("", n),
        repeat("", n),
        keys,
        [WORKPLACES[c] for c in jobs.workplace_code[start:stop].tolist()],
        repeat("[]", n),
        [TYPES[c] for c in jobs.type_code[start:stop].tolist()],
        [p * 80 for p in pay],
        [p * 100 for p in pay],
        repeat("USD", n),
        repeat("year", n),
        repeat("published", n),
        [days[d] for d in jobs.posted_day[start:stop].tolist()],
        repeat(_stamp(VALID, vendor), n),
        repeat(_stamp(NOW, vendor), n),
        repeat(_stamp(NOW, vendor), n),
        repeat(company_id, n),
        repeat(None, n),
        pay,
        repeat("", n),
        repeat("[]", n),
        [t.lower() for t in titles],
        repeat("", n),
        strict=True,
    )


def _company(alias: str) -> int:
    from mapertunity.companies.models import Company

    return Company.objects.using(alias).create(name="Bench Works", slug="bench-works").pk


def load(jobs: Jobs, alias: str, progress) -> dict[str, float]:
    """Bulk-load the jobs into the migrated database ``alias``; returns timings and size."""
    global SINCE
    from bench.engine import posted_since

    SINCE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=posted_since(jobs))
    connection = connections[alias]
    vendor = connection.vendor
    company_id = _company(alias)
    started = time.perf_counter()
    # The map's change log would log every row; the index is built after the load anyway.
    mapsource.drop_triggers(connection)
    with connection.cursor() as cursor:
        # Bulk loads build indexes once at the end, as one would load a table this size.
        indexes = _drop_indexes(cursor, vendor)
        if vendor == "sqlite":
            for name in search.SQLiteFTS5.TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("PRAGMA synchronous = OFF")
            marks = ", ".join(["%s"] * len(COLUMNS.split(",")))
            sql = f"INSERT INTO jobs_job ({COLUMNS}) VALUES ({marks})"
            for start in range(0, len(jobs), CHUNK):
                cursor.executemany(
                    sql, _rows(jobs, start, min(start + CHUNK, len(jobs)), company_id, vendor)
                )
                if start and start % (20 * CHUNK) == 0:
                    progress(f"  sqlite: {start:,} rows")
            rows_s = time.perf_counter() - started
            for sql in indexes:
                cursor.execute(sql)
            search.SQLiteFTS5()._refill(cursor.execute)
            for sql in search.SQLiteFTS5.TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS jobs_job_search_sync ON jobs_job")
            cursor.execute("DROP INDEX IF EXISTS jobs_job_search_document")
            raw = cursor.cursor
            with raw.copy(f"COPY jobs_job ({COLUMNS}) FROM STDIN") as copy:
                for start in range(0, len(jobs), CHUNK):
                    buffer = io.StringIO()
                    for row in _rows(
                        jobs, start, min(start + CHUNK, len(jobs)), company_id, vendor
                    ):
                        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
                        buffer.write("\n")
                    copy.write(buffer.getvalue())
                    if start and start % (20 * CHUNK) == 0:
                        progress(f"  postgresql: {start:,} rows")
            rows_s = time.perf_counter() - started
            for sql in indexes:
                cursor.execute(sql)
            statements = search.PostgresFullText.STATEMENTS
            cursor.execute(statements[-1])  # fill the search table in one statement
            for sql in statements:
                if sql.startswith(("CREATE INDEX", "DROP TRIGGER", "CREATE TRIGGER")):
                    cursor.execute(sql)
    mapsource.install(connection)
    if vendor == "postgresql":
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE jobs_job")
            cursor.execute("VACUUM ANALYZE jobs_job_search")
        connection.connection.autocommit = old
    total_s = time.perf_counter() - started
    return {"rows_s": rows_s, "load_s": total_s, "bytes": _size(alias)}


def _drop_indexes(cursor, vendor: str) -> list[str]:
    """Drop jobs_job's secondary indexes; returns the statements that recreate them."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'jobs_job' AND sql IS NOT NULL"
        )
    else:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'jobs_job' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _size(alias: str) -> int:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def _keyword(vendor: str, word: str) -> tuple[str, list]:
    if vendor == "sqlite":
        return "id IN (SELECT rowid FROM jobs_job_fts WHERE jobs_job_fts MATCH %s)", [f'"{word}"']
    return (
        "id IN (SELECT job_id FROM jobs_job_search "
        "WHERE document @@ plainto_tsquery('english', %s))",
        [word],
    )


def group_by(
    vendor: str, view: tuple, filter_name: str, morton_index: str = ""
) -> tuple[str, list]:
    """The viewport query as SQL: key ranges, exact box, filters, GROUP BY cell."""
    west, south, east, north, zoom = view
    shift = 2 * (31 - min(zoom + 2, 31))
    rects = box_rects(west, south, east, north)
    near = near_of(view) if filter_name == "near 50 km" else None
    if near is not None:
        rects = intersect_rects(rects, box_rects(*near.box()))
    # Every benchmark row is live, so the status and closing-date tests are left out: the
    # planner then has only the Morton key B-tree to choose, SQL's best case.
    where: list[str] = []
    params: list = []
    ranges = [r for rect in rects for r in bbox_key_ranges(*rect)] or [(1, 0)]
    where.append("(" + " OR ".join(["morton_key BETWEEN %s AND %s"] * len(ranges)) + ")")
    params += [v for r in ranges for v in r]
    boxes = []
    for w, s, e, n in rects or [(0.0, 1.0, 0.0, -1.0)]:
        boxes.append("(lat BETWEEN %s AND %s AND lng BETWEEN %s AND %s)")
        params += [s, n, w, e]
    where.append("(" + " OR ".join(boxes) + ")")
    if near is not None:
        p1, l1 = math.radians(near.lat), math.radians(near.lng)
        where.append(
            "(POWER(SIN((RADIANS(lat) - %s) / 2), 2) + %s * COS(RADIANS(lat)) * "
            "POWER(SIN((RADIANS(lng) - %s) / 2), 2)) <= %s"
        )
        params += [p1, math.cos(p1), l1, h_limit(near.km)]
    if filter_name == "posted 7 days":
        where.append("posted_at >= %s")
        params.append(_stamp(SINCE, vendor))
    if filter_name in ("type+salary", "type+salary+keyword"):
        where.append("employment_type = 'full_time' AND pay_usd_year >= %s")
        params.append(PAY_FLOOR_USD)
    if filter_name in ("common keyword", "type+salary+keyword", "rare keyword"):
        sql, extra = _keyword(vendor, RARE_WORD if filter_name == "rare keyword" else COMMON_WORD)
        where.append(sql)
        params += extra
    table = "jobs_job"
    if vendor == "sqlite" and zoom >= 10 and morton_index:
        # SQLite's planner scans the table once other terms join the key ranges; for a
        # city-sized view walking just the key ranges is far better, so name the index.
        # (For country-sized and world views its own choice, a scan, is faster.)
        table = f"jobs_job INDEXED BY {morton_index}"
    sql = (
        f"SELECT morton_key >> {shift} AS cell, COUNT(*), AVG(lat), AVG(lng) FROM {table} "
        f"WHERE {' AND '.join(where)} GROUP BY cell"
    )
    return sql, params


def queries(
    alias: str, views: dict[int, list], filters: tuple[str, ...], *, max_runs: int, budget_s: float
) -> tuple[dict[str, dict[int, Timing]], dict[tuple[str, int], int]]:
    """Timings per filter and zoom, and the first view's total (to check against the index)."""
    connection = connections[alias]
    vendor = connection.vendor
    out: dict[str, dict[int, Timing]] = {}
    first_totals: dict[tuple[str, int], int] = {}

    def run(sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    morton_index = ""
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'jobs_job' AND name LIKE 'jobs_job_morton_key%%'"
            )
            morton_index = cursor.fetchone()[0]
    for name in filters:
        out[name] = {}
        for zoom, boxes in views.items():
            statements = [group_by(vendor, box, name, morton_index) for box in boxes]
            started = time.perf_counter()
            rows = run(*statements[0])
            first = time.perf_counter() - started
            first_totals[(name, zoom)] = sum(r[1] for r in rows)
            calls = [(lambda s=s: run(*s)) for s in statements[1:] + statements[:1]]
            rest = budget_s - first
            # At least three runs a cell, however slow: one run says little.
            timing = run_timed(calls, min_runs=2, max_runs=max_runs - 1, budget_s=rest)
            out[name][zoom] = Timing([first, *timing.samples])
    return out, first_totals


def keyword_fetch(alias: str, word: str) -> float:
    """Seconds to fetch every id matching a keyword (what the map does once per keyword)."""
    from mapertunity.jobs.search import backend

    connection = connections[alias]
    started = time.perf_counter()
    terms = [word]
    if connection.vendor == "sqlite":
        sql = "SELECT rowid FROM jobs_job_fts WHERE jobs_job_fts MATCH %s"
        params = [backend(connection)._match(terms)]
    else:
        sql = "SELECT job_id FROM jobs_job_search WHERE document @@ plainto_tsquery('english', %s)"
        params = [word]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64)
    return time.perf_counter() - started
