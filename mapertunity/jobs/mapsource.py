"""Where the map index learns about jobs: a full read, then a change feed.

Every write to ``jobs_job`` — the ORM, ``bulk_create``, a queryset ``update()``, a delete,
raw SQL, a PostgreSQL ``TRUNCATE`` — appends the job's id to ``jobs_job_change`` through
triggers (made by migration 0004; the same SQL is kept here to repair them, see
:func:`ensure_installed`). A poll reads the log past its cursor on the primary key (an
indexed range scan, at most ``limit + 1`` rows) and re-reads the current state of those
jobs in chunks below any variable limit, so it costs the same after a bulk load of a
million rows as after one save, and deletes and ``update()`` are seen at once.

On PostgreSQL a change's number is drawn when the row is written but becomes visible when
its transaction commits, so a poll can see 101 before 100. Numbers skipped below the cursor
are kept as *holes* and looked up again on every poll for ``HOLE_SECONDS``. SQLite has one
writer at a time and never leaves holes.

Closing dates need no write: the index sweeps jobs whose ``valid_through`` has passed
when the earliest one is due.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Min
from django.utils import timezone

from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.core.money import PAY_STEP_USD
from mapertunity.geo.live import Changes, Rows, Schema

from .models import Job

TYPES = [value for value, _ in EmploymentType.choices]
WORKPLACES = [value for value, _ in Workplace.choices]
SCHEMA = Schema(
    categories={"type": len(TYPES), "workplace": len(WORKPLACES)},
    values=("pay", "posted", "confirmed", "unconfirmed"),
    band="pay",
)
PAY_UNITS_MAX = 65_535
NEVER_POSTED = 65_535
"""The ``confirmed`` day of a job without a posting date: always confirmed, as
``Job.is_unconfirmed`` has it. ``unconfirmed`` is this less the ``confirmed`` day, so that
"not confirmed since a day" is a minimum too, the only test the index has."""

CHANGES = "jobs_job_change"
EVERYTHING = -1
"""The job id a TRUNCATE logs: every row changed, rebuild."""
CHUNK = 500
"""Ids per ``IN (...)``: far below SQLite's variable limit (999 on old builds)."""
HOLE_SECONDS = 600.0
"""How long a skipped change number is looked for (a transaction open this long after
writing a job shows after the next rebuild instead)."""
MAX_HOLES = 4096
KEEP_CHANGES_SECONDS = 24 * 3600.0
"""The log keeps this much; a token older than half of it rebuilds instead of replaying."""
PRUNE_SECONDS = 600.0
TOKEN_REFRESH_SECONDS = 3600.0
"""An idle poll renews its token this often, so "too old to replay" means "not polled"."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

SQLITE_INSTALL = [
    f"""CREATE TABLE IF NOT EXISTS {CHANGES} (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id bigint NOT NULL,
        changed_at real NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0))""",
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_change_insert AFTER INSERT ON jobs_job BEGIN
        INSERT INTO {CHANGES}(job_id) VALUES (new.id);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_change_update AFTER UPDATE ON jobs_job BEGIN
        INSERT INTO {CHANGES}(job_id) VALUES (new.id);
        INSERT INTO {CHANGES}(job_id) SELECT old.id WHERE old.id <> new.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_change_delete AFTER DELETE ON jobs_job BEGIN
        INSERT INTO {CHANGES}(job_id) VALUES (old.id);
    END""",
]
SQLITE_TRIGGERS = ["jobs_job_change_insert", "jobs_job_change_update", "jobs_job_change_delete"]

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO jobs_job_change(job_id) {select};
        RETURN NULL;
    END $$"""
POSTGRES_INSTALL = [
    f"""CREATE TABLE IF NOT EXISTS {CHANGES} (
        seq bigserial PRIMARY KEY,
        job_id bigint NOT NULL,
        changed_at double precision NOT NULL DEFAULT extract(epoch FROM clock_timestamp()))""",
    # Statement triggers with transition tables: a COPY of a million rows logs them in one
    # INSERT ... SELECT instead of a million function calls.
    _PG_FUNCTION.format(name="jobs_job_change_new", select="SELECT id FROM new_rows"),
    _PG_FUNCTION.format(name="jobs_job_change_old", select="SELECT id FROM old_rows"),
    _PG_FUNCTION.format(
        name="jobs_job_change_both",
        select="SELECT id FROM new_rows UNION SELECT id FROM old_rows",
    ),
    _PG_FUNCTION.format(name="jobs_job_change_all", select=f"VALUES ({EVERYTHING})"),
    "DROP TRIGGER IF EXISTS jobs_job_change_insert ON jobs_job",
    """CREATE TRIGGER jobs_job_change_insert AFTER INSERT ON jobs_job
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_new()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_update ON jobs_job",
    """CREATE TRIGGER jobs_job_change_update AFTER UPDATE ON jobs_job
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_both()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_delete ON jobs_job",
    """CREATE TRIGGER jobs_job_change_delete AFTER DELETE ON jobs_job
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_old()""",
    "DROP TRIGGER IF EXISTS jobs_job_change_truncate ON jobs_job",
    """CREATE TRIGGER jobs_job_change_truncate AFTER TRUNCATE ON jobs_job
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_job_change_all()""",
]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the change log and its triggers (idempotent)."""
    statements = POSTGRES_INSTALL if connection.vendor == "postgresql" else SQLITE_INSTALL
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """For a bulk load that rebuilds the index afterwards anyway (``make bench``)."""
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON jobs_job")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure_installed(connection: BaseDatabaseWrapper) -> None:
    """Put back triggers a SQLite table rebuild dropped, and make every index rebuild:
    writes made while they were missing were not logged."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name LIKE 'jobs_job_change%%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if CHANGES not in present or set(SQLITE_TRIGGERS) <= present:
            return
    install(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CHANGES}(job_id) VALUES ({EVERYTHING})")


def _day(moment: dt.datetime | None) -> int:
    return 0 if moment is None else (moment - _EPOCH).days


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _rows(records: list[tuple]) -> Rows:
    """Rows from (id, lat, lng, type code, workplace code, pay_usd_year, posted day, last
    confirmed day)."""
    data = np.array(records, dtype=np.float64) if records else np.zeros((0, 8))
    pay = np.nan_to_num(data[:, 5], nan=0.0) // PAY_STEP_USD
    confirmed = np.clip(np.nan_to_num(data[:, 7], nan=NEVER_POSTED), 0, NEVER_POSTED)
    confirmed = confirmed.astype(np.uint16)
    return Rows(
        ids=data[:, 0].astype(np.int64),
        lats=data[:, 1],
        lngs=data[:, 2],
        categories={"type": data[:, 3].astype(np.int64), "workplace": data[:, 4].astype(np.int64)},
        values={
            "pay": np.minimum(pay, PAY_UNITS_MAX).astype(np.uint16),
            "posted": np.clip(np.nan_to_num(data[:, 6], nan=0.0), 0, 65_535).astype(np.uint16),
            "confirmed": confirmed,
            "unconfirmed": NEVER_POSTED - confirmed,
        },
    )


def _chunks(ids: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class Holes:
    """Change numbers skipped below the cursor, kept as ``[lo, hi, since]`` ranges."""

    def __init__(self, ranges: Iterable[list[float]] = ()) -> None:
        self.ranges = [[int(lo), int(hi), float(since)] for lo, hi, since in ranges]

    def add_gaps(self, after: int, seqs: list[int], now: float) -> None:
        """Record the numbers missing between ``after`` and each seen number in turn."""
        previous = after
        for seq in seqs:
            if seq > previous + 1:
                self.ranges.append([previous + 1, seq - 1, now])
            previous = max(previous, seq)

    def fill(self, seqs: list[int]) -> None:
        """Remove numbers that turned up."""
        for seq in sorted(seqs):
            for i, (lo, hi, since) in enumerate(self.ranges):
                if lo <= seq <= hi:
                    pieces = [[lo, seq - 1, since], [seq + 1, hi, since]]
                    self.ranges[i : i + 1] = [p for p in pieces if p[0] <= p[1]]
                    break

    def expire(self, now: float) -> None:
        self.ranges = [r for r in self.ranges if now - r[2] < HOLE_SECONDS]
        # Many tiny holes (rolled-back test transactions): the newest matter most.
        while sum(hi - lo + 1 for lo, hi, _ in self.ranges) > MAX_HOLES and self.ranges:
            self.ranges.pop(0)

    def as_token(self) -> list[list[float]]:
        return [list(r) for r in self.ranges]


class JobSource:
    """Reads live jobs for :class:`~mapertunity.geo.live.LiveIndex`.

    ``clock`` gives the time closing dates are compared with (``timezone.now()``, looked up
    at each call, unless a test passes its own).
    """

    schema = SCHEMA

    def __init__(self, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.clock = clock or (lambda: timezone.now())
        self._pruned = 0.0

    # -- reading jobs ---------------------------------------------------------------------

    def _select(self) -> str:
        def case(column: str, values: list[str]) -> str:
            whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
            return f"CASE {column} {whens} ELSE 0 END"

        # The day of Job.last_confirmed_at: NULL (never posted) only without a posting date.
        if connection.vendor == "postgresql":
            day = "FLOOR(EXTRACT(EPOCH FROM {}) / 86400)"
            confirmed = day.format("GREATEST(posted_at, confirmed_open_at)")
        else:
            day = "CAST(julianday({}) - 2440587.5 AS INTEGER)"
            # Two-argument max() is NULL if either is: the coalesce keeps posted_at.
            confirmed = day.format("max(posted_at, coalesce(confirmed_open_at, posted_at))")
        return (
            "SELECT id, lat, lng, "
            f"{case('employment_type', TYPES)}, {case('workplace', WORKPLACES)}, "
            f"pay_usd_year, {day.format('posted_at')}, {confirmed} FROM {Job._meta.db_table} "
            "WHERE status = %s AND valid_through > %s"
        )

    def _fetch(self, now: dt.datetime, extra: str = "", params: tuple = ()) -> Rows:
        parts = []
        with connection.cursor() as cursor:
            cursor.execute(self._select() + extra, [Job.Status.PUBLISHED, now, *params])
            while chunk := cursor.fetchmany(100_000):
                parts.append(_rows(chunk))
        return Rows.concat(parts) if parts else _rows([])

    def _fetch_ids(self, ids: list[int], now: dt.datetime) -> Rows:
        parts = [_rows([])]
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            parts.append(self._fetch(now, f" AND id IN ({marks})", tuple(chunk)))
        return Rows.concat(parts)

    def _next_expiry(self, now: dt.datetime) -> str | None:
        row = (
            Job.objects.order_by()
            .filter(status=Job.Status.PUBLISHED, valid_through__gt=now)
            .aggregate(first=Min("valid_through"))
        )
        return _iso(row["first"])

    # -- the change log -------------------------------------------------------------------

    def _head(self, cursor: Any) -> tuple[int, Holes]:
        """The newest change number, and the numbers missing just below it."""
        cursor.execute(f"SELECT seq FROM {CHANGES} ORDER BY seq DESC LIMIT 1000")
        seqs = sorted(row[0] for row in cursor.fetchall())
        holes = Holes()
        if seqs:
            holes.add_gaps(seqs[0], seqs[1:], time.time())
        return (seqs[-1] if seqs else 0), holes

    def _read(self, cursor: Any, after: int, limit: int, holes: Holes) -> list[tuple[int, int]]:
        cursor.execute(
            f"SELECT seq, job_id FROM {CHANGES} WHERE seq > %s ORDER BY seq LIMIT %s",
            [after, limit + 1],
        )
        found = [tuple(row) for row in cursor.fetchall()]
        for lo, hi, _ in holes.ranges:
            cursor.execute(
                f"SELECT seq, job_id FROM {CHANGES} WHERE seq BETWEEN %s AND %s", [lo, hi]
            )
            found += [tuple(row) for row in cursor.fetchall()]
        return found

    def _prune(self, cursor: Any) -> None:
        """Drop log rows older than ``KEEP_CHANGES_SECONDS`` (at most every few minutes)."""
        if time.monotonic() - self._pruned < PRUNE_SECONDS and self._pruned:
            return
        self._pruned = time.monotonic()
        cursor.execute(
            f"DELETE FROM {CHANGES} WHERE seq < "
            f"(SELECT MIN(seq) FROM {CHANGES} WHERE changed_at >= %s)",
            [time.time() - KEEP_CHANGES_SECONDS],
        )

    # -- the Source protocol --------------------------------------------------------------

    def load(self) -> tuple[Rows, dict[str, Any]]:
        now = self.clock()
        with connection.cursor() as cursor:
            # The cursor first: whatever commits during the read is replayed after it.
            seq, holes = self._head(cursor)
        rows = self._fetch(now)
        token = {
            "seq": seq,
            "holes": holes.as_token(),
            "polled": time.time(),
            "swept": _iso(now),
            "next_expiry": self._next_expiry(now),
        }
        return rows, token

    def prepare(self) -> None:
        """Before a maintenance tick (its own thread): drop a broken or old connection, as
        Django does between requests."""
        connection.close_if_unusable_or_obsolete()

    def poll(self, token: dict[str, Any], limit: int) -> Changes | None:
        now = self.clock()
        if time.time() - token.get("polled", 0) > KEEP_CHANGES_SECONDS / 2:
            # The log may have been pruned past this token (an old snapshot).
            return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
        holes = Holes(token.get("holes", ()))
        holes.expire(time.time())
        with connection.cursor() as cursor:
            self._prune(cursor)
            found = self._read(cursor, token["seq"], limit, holes)
        if len(found) > limit:
            return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
        ids = sorted({job_id for _, job_id in found})
        if ids and ids[0] == EVERYTHING:
            return Changes(None, np.empty(0, dtype=np.int64), token, rebuild=True)
        new = dict(token)
        fresh = sorted(seq for seq, _ in found if seq > token["seq"])
        holes.fill([seq for seq, _ in found if seq <= token["seq"]])
        holes.add_gaps(token["seq"], fresh, time.time())
        new.update(seq=fresh[-1] if fresh else token["seq"], holes=holes.as_token())

        upserts = self._fetch_ids(ids, now) if ids else _rows([])
        gone = set(ids) - set(upserts.ids.tolist())
        next_expiry = _parse(token.get("next_expiry"))
        if len(upserts):
            first = (
                Job.objects.order_by()
                .filter(id__in=upserts.ids.tolist()[:CHUNK])
                .aggregate(first=Min("valid_through"))["first"]
            )
            if len(upserts) > CHUNK:
                first = _parse(self._next_expiry(now))
            if first is not None and (next_expiry is None or first < next_expiry):
                new["next_expiry"] = _iso(first)
        if next_expiry is not None and now >= next_expiry:
            swept = _parse(token["swept"])
            gone |= set(
                Job.objects.order_by()
                .filter(
                    status=Job.Status.PUBLISHED, valid_through__gt=swept, valid_through__lte=now
                )
                .values_list("id", flat=True)
            )
            new.update(swept=_iso(now), next_expiry=self._next_expiry(now))
        if time.time() - token.get("polled", 0) > TOKEN_REFRESH_SECONDS:
            new["polled"] = time.time()
        if not found and new == token:
            return None
        if found:
            new["polled"] = time.time()
        return Changes(upserts, np.asarray(sorted(gone), dtype=np.int64), new)

    def close(self) -> None:
        connection.close()
