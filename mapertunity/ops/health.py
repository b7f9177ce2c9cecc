"""What /healthz checks: the database, the cache, the task worker and the map index.

Each check is cheap enough to run every few seconds from a load balancer: one trivial
query, one cache round trip, one indexed read of the newest worker heartbeat, and one
primary-key range read of the map's change log. A check never raises; it reports.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from typing import Any, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from mapertunity.core.models import WorkerHeartbeat
from mapertunity.geo.live import LiveIndex
from mapertunity.jobs import mapindex, mapsource

log = logging.getLogger(__name__)


class Check(TypedDict, total=False):
    ok: bool
    ms: float
    error: str
    # worker
    alive: int
    last_beat_seconds: float | None
    # map index
    state: str
    behind_seconds: float


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return {"ok": row is not None and row[0] == 1}


def check_cache() -> Check:
    """A value set is read back: a cache that is down, full or a dummy fails this."""
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    found = cache.get(key)
    cache.delete(key)
    if found != value:
        return {"ok": False, "error": "a value set in the cache was not read back"}
    return {"ok": True}


def check_worker(now: dt.datetime) -> Check:
    """Some task worker wrote a heartbeat within WORKER_LEASE_SECONDS (after that the other
    workers take it for dead, too)."""
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if newest is None:
        return {"ok": False, "alive": 0, "last_beat_seconds": None, "error": "no task worker"}
    age = max(0.0, (now - newest).total_seconds())
    alive = WorkerHeartbeat.objects.alive(now).count()
    check: Check = {"ok": alive > 0, "alive": alive, "last_beat_seconds": round(age, 1)}
    if not alive:
        check["error"] = f"no task worker heartbeat for {age:.0f} s"
    return check


# When each live index was first found without a view (weak: a reset index is forgotten).
_missing_since: weakref.WeakKeyDictionary[LiveIndex, float] = weakref.WeakKeyDictionary()
_missing_lock = threading.Lock()


def check_map_index(now: dt.datetime) -> Check:
    """How far behind the job change log this process's map index is: the age of the
    oldest change it has not applied yet (0 when it has them all).

    A process that has no index yet starts building it (as the first map request would)
    and counts as healthy while the build is younger than the allowed lag: the map
    answers from SQL meanwhile.
    """
    limit = settings.MAP_INDEX_MAX_LAG_SECONDS
    live = mapindex.live_index()
    view, token = live.applied()
    if view is None:
        with _missing_lock:
            since = _missing_since.setdefault(live, time.monotonic())
        mapindex.current_view()  # starts the build; inline (tests) it builds now
        view, token = live.applied()
        if view is None:
            waited = time.monotonic() - since
            check: Check = {"ok": waited <= limit, "state": "building"}
            if waited > limit:
                check["error"] = f"the map index has been building for {waited:.0f} s"
            return check
    with _missing_lock:
        _missing_since.pop(live, None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT changed_at FROM {mapsource.CHANGES} WHERE seq > %s ORDER BY seq LIMIT 1",
            [int(token.get("seq", 0))],
        )
        row = cursor.fetchone()
    behind = 0.0 if row is None else max(0.0, now.timestamp() - float(row[0]))
    check = {"ok": behind <= limit, "state": "stale" if row else "fresh"}
    check["behind_seconds"] = round(behind, 1)
    if behind > limit:
        check["error"] = f"the map index is {behind:.0f} s behind the job changes"
    return check


def run_checks(now: dt.datetime | None = None) -> dict[str, Check]:
    """Every check by name; one that raised is a failure naming the exception."""
    moment = now or timezone.now()
    checks: dict[str, Callable[[], Check]] = {
        "database": check_database,
        "cache": check_cache,
        "worker": lambda: check_worker(moment),
        "map_index": lambda: check_map_index(moment),
    }
    results: dict[str, Check] = {}
    for name, run in checks.items():
        started = time.perf_counter()
        try:
            result = run()
        except Exception as error:  # a check reports any failure, it never raises
            # The answer is public: the class only; the message (hosts, users) is logged.
            log.warning("healthz: the %s check failed", name, exc_info=True)
            result = {"ok": False, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


def summary(results: dict[str, Check]) -> dict[str, Any]:
    failed = [name for name, result in results.items() if not result.get("ok")]
    return {"status": "fail" if failed else "ok", "failed": failed, "checks": results}
