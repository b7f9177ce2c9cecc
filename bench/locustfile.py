"""The mixed workload of `make loadtest`, for locust (run headless by bench/loadtest.py).

Visitors pan the map (the clusters API and the list fragment for the same box, as the
map page asks for both), search, open job pages and page through lists; signed-in
candidates apply to jobs (the form, then the POST with its CSRF token) and look at their
applications. Every user paces itself with ``constant_throughput`` so that the whole
swarm offers LOADTEST_RATE requests a second: the target load, not as much as the server
takes. Each kind of task has a tag (map, search, job, list, apply) for locust's
``--tags``/``--exclude-tags``. The sample (job pages, viewports, sessions) comes from
LOADTEST_DATA, written by bench/loadsite.py; the figures go to LOADTEST_OUT at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, constant_throughput, events, tag, task

DATA: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text())
RATE = float(os.environ.get("LOADTEST_RATE", "50"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
# Requests a task makes on average, so the pacing offers RATE requests (not tasks) a second.
PER_TASK = 1.6
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_sessions = itertools.cycle(DATA["sessions"])


def _bbox(box: list[float]) -> str:
    west, south, east, north = box[:4]
    return f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"


def _pan(box: list[float], rng: random.Random) -> list[float]:
    """The viewport moved by up to half its size (kept within the map's bounds)."""
    west, south, east, north, zoom = box
    if east - west >= 359.9 or zoom < 3:
        return box
    dx = rng.uniform(-0.5, 0.5) * ((east - west) % 360 or 360.0)
    dy = rng.uniform(-0.5, 0.5) * (north - south)
    if south + dy < -85 or north + dy > 85:
        dy = 0.0
    wrap = lambda lng: (lng + 180) % 360 - 180  # noqa: E731
    return [wrap(west + dx), south + dy, wrap(east + dx), north + dy, zoom]


class Visitor(HttpUser):
    """Someone looking for work, not signed in."""

    weight = 9
    wait_time = constant_throughput(RATE / USERS / PER_TASK)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.view = list(self.rng.choice(DATA["viewports"]))

    @tag("map")
    @task(8)
    def pan_the_map(self) -> None:
        if self.rng.random() < 0.15:
            self.view = list(self.rng.choice(DATA["viewports"]))  # a new place or zoom
        else:
            self.view = _pan(self.view, self.rng)
        bbox = _bbox(self.view)
        zoom = int(self.view[4])
        self.client.get(f"/api/v1/map/jobs?bbox={bbox}&zoom={zoom}", name="map: clusters")
        self.client.get(
            f"/jobs/?bbox={bbox}", headers={"HX-Request": "true"}, name="map: list fragment"
        )

    @tag("search")
    @task(4)
    def search(self) -> None:
        word = self.rng.choice(DATA["words"])
        if self.rng.random() < 0.4:
            place = self.rng.choice(DATA["places"])
            self.client.get(f"/jobs/?q={word}&near={place}&radius_km=50", name="search: near")
        else:
            self.client.get(f"/jobs/?q={word}", name="search: keyword")

    @tag("job")
    @task(5)
    def job_page(self) -> None:
        self.client.get(self.rng.choice(DATA["job_pages"]), name="job page")

    @tag("list")
    @task(3)
    def list_page(self) -> None:
        page = self.rng.randint(1, 20)
        kind = self.rng.choice(["full_time", "part_time", "contract"])
        if self.rng.random() < 0.5:
            self.client.get(f"/jobs/?page={page}", name="list: page")
        else:
            self.client.get(f"/jobs/?type={kind}&page={page}", name="list: filtered")


class Candidate(HttpUser):
    """A signed-in candidate with a finished profile and a resume, applying."""

    weight = 1
    wait_time = constant_throughput(RATE / USERS / PER_TASK)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.client.cookies.set("sessionid", next(_sessions))

    @tag("apply")
    @task(3)
    def apply(self) -> None:
        job_id = self.rng.choice(DATA["apply_job_ids"])
        url = f"/jobs/{job_id}/apply/"
        with self.client.get(url, name="apply: form", catch_response=True) as form:
            if form.status_code != 200 or "/applications/" in form.url:
                # Applied to this one before: the form sends them to the application.
                if form.status_code == 200:
                    form.success()
                return
            found = CSRF.search(form.text)
            if found is None:
                form.failure("no CSRF token on the application form")
                return
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": found.group(1),
                "resume_choice": "profile",
                "cover_note": "I would like to apply: the load test says hello.",
            },
            headers={"Referer": f"{self.host}{url}"},
            name="apply: send",
            catch_response=True,
        ) as sent:
            if sent.status_code == 200 and "/applications/" not in sent.url:
                sent.failure("the application form came back instead of the application")

    @tag("apply")
    @task(1)
    def my_applications(self) -> None:
        self.client.get("/applications/", name="my applications")

    @tag("job")
    @task(1)
    def job_page(self) -> None:
        self.client.get(self.rng.choice(DATA["job_pages"]), name="job page")


@events.quitting.add_listener
def write_figures(environment: Any, **kwargs: Any) -> None:
    out = os.environ.get("LOADTEST_OUT")
    if not out:
        return
    stats = environment.runner.stats
    total = stats.total

    def figures(entry: Any) -> dict[str, Any]:
        return {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": entry.total_rps,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": entry.max_response_time,
            "mean_ms": entry.avg_response_time,
        }

    result = {
        "total": figures(total),
        "seconds": total.last_request_timestamp - total.start_time
        if total.last_request_timestamp
        else 0.0,
        "by_name": {f"{e.method} {e.name}": figures(e) for e in stats.entries.values()},
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    with open(out, "w") as handle:
        json.dump(result, handle, indent=2)
