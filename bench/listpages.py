"""Time the list and search pages in one process against a big database, with their SQL.

    python bench/listpages.py                      # the load test's site (var/loadtest/)
    python bench/listpages.py "/jobs/?q=nurse" ... # other URLs

Run it after `make loadtest` has built var/loadtest/ (or point MAPERTUNITY_VAR_DIR and
MAP_INDEX_DIR at another site, DATABASE_URL at PostgreSQL). It waits for the map index,
then asks each URL (the full page and the htmx fragment) once to warm up and RUNS times
more (default 5), and prints the median wall time, this process's CPU time (SQLite's work
included, PostgreSQL's not) and the time in SQL. A second's difference between wall and
CPU is other work on the machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

URLS = [
    "/jobs/?q=engineer",
    "/jobs/?q=zookeeper",
    "/jobs/?q=engineer&near=London&radius_km=50",
    "/jobs/?page=3",
    "/jobs/?page=500",
    "/jobs/?type=contract&page=7",
    "/jobs/?bbox=-74.3,40.5,-73.7,40.9",
    "/jobs/?bbox=-74.3,40.5,-73.7,40.9&page=50",
]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapertunity.settings")
    work = Path(os.environ.setdefault("MAPERTUNITY_VAR_DIR", str(ROOT / "var" / "loadtest")))
    os.environ.setdefault("MAP_INDEX_DIR", str(work / "mapindex"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mapertunity.jobs import mapindex

    mapindex.job_index()
    client = Client(SERVER_NAME="127.0.0.1")
    runs = int(os.environ.get("RUNS", "5"))
    for url in sys.argv[1:] or URLS:
        parts = []
        for fragment in (False, True):
            headers = {"HX-Request": "true"} if fragment else {}
            client.get(url, headers=headers)
            wall, cpu, sql = [], [], []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started, used = time.perf_counter(), time.process_time()
                    response = client.get(url, headers=headers)
                    wall.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - used)
                sql.append(sum(float(q["time"]) for q in queries.captured_queries))
            ms = [statistics.median(times) * 1000 for times in (wall, cpu, sql)]
            kind = "fragment" if fragment else "page"
            parts.append(f"{kind} {ms[0]:5.0f} ms (cpu {ms[1]:4.0f}, sql {ms[2]:5.1f})")
        print(f"{url:48} {response.status_code}  " + "  ".join(parts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
