"""Schemathesis against /api/v1/openapi.json: every operation, with and without a token.

Every answer must be documented (status code, content type, headers, body schema), no
request may be a server error, requests the schema allows must be accepted (or answered
401/403/404/409/429, which the schema documents), and requests it forbids rejected.
Path ids are random or real ones of the employer's, so writes reach the workflows.

(schemathesis' own pytest plugin doesn't load under pytest 9; the operations are driven
here through its Hypothesis strategies instead, with the same checks.)

By default every run tries the same examples (``derandomize``), so CI can't flake.
``API_FUZZ_EXAMPLES=500`` explores instead: that many random examples per operation, a
new draw each run; a failing example is kept in ``.hypothesis/`` and tried first next
time, and ``--hypothesis-seed=N`` repeats a whole run.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from mapertunity.accounts.models import User
from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.wsgi import application
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_company, make_job

from .conftest import bearer

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Unknown query parameters are ignored, as on the site's pages (links carry tracking tags).
SCHEMA.config.generation.update(allow_extra_parameters=False)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def _examples() -> int | None:
    """``API_FUZZ_EXAMPLES`` as a positive number, or None when unset (the fixed run)."""
    value = os.environ.get("API_FUZZ_EXAMPLES", "")
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"API_FUZZ_EXAMPLES must be a positive whole number, not {value!r}")
    return int(value)


EXPLORE = _examples()
FUZZ = settings(
    max_examples=EXPLORE or 40,
    derandomize=EXPLORE is None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 14
    assert "POST /api/v1/employer/jobs" in OPERATIONS


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI app, whose start and end close the connection (as
    Django's test client prevents, and reconnects after each of its own requests): keep
    the test's transaction open."""
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def keep_connection() -> None:
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)


@pytest.fixture
def world(employer: User, write_token: str) -> dict[str, Any]:
    company = employer.memberships.get().company
    jobs = [
        make_job(company, lat=lat + i * 0.01, lng=lng, title=f"Nurse {i}")
        for i, (lat, lng) in enumerate([(52.52, 13.405), (48.85, 2.35), (30.27, -97.74)] * 2)
    ]
    application_ = apply_to(jobs[0], candidate_with_resume())
    make_job(make_company(name="Other Co"), title="Other company's job")
    return {
        "header": bearer(write_token)["HTTP_AUTHORIZATION"],
        "job_id": jobs[1].pk,
        "application_id": str(application_.pk),
    }


BOXES = ["-125,24,-66,50", "-180,-85,180,85", "170,-20,-170,-10", "13.3,52.4,13.5,52.6"]
PLACES = ["Austin, TX", "Berlin", "Paris", "78701", "Suva"]
PAY = [
    ("42000", "52000", "USD", "year"),
    ("25", "30", "EUR", "hour"),
    ("4000", "5000", "GBP", "month"),
]


def plausible(case: schemathesis.Case, world: dict[str, Any]) -> schemathesis.Case:
    """A schema-valid case made to keep the rules a schema can't state, so that "valid
    data rejected" means a real mismatch: a box's latitudes are in order and range,
    opaque tokens (a page's cursor, a cluster's cell) are real ones, a place is one the
    gazetteer knows, a radius or distance order comes with a place, pay is a plausible
    range, and a remote job's countries are real ones. Nothing else is touched; the junk
    sweeps in test_no_server_errors.py and each operation's own tests cover the rest."""
    query = case.query
    if isinstance(query, dict):
        if "bbox" in query:
            try:
                parse_bbox(str(query["bbox"]))
            except BBoxError:  # latitudes out of range, or south above north
                query["bbox"] = BOXES[len(str(query["bbox"])) % len(BOXES)]
        if "cursor" in query:
            query["cursor"] = ""
        if "cell" in query:
            query["cell"] = world["cell"]
        if query.get("near"):
            query["near"] = PLACES[len(str(query["near"])) % len(PLACES)]
        elif not query.get("near"):
            query.pop("radius_km", None)
            if query.get("sort") == "distance":
                query["sort"] = "date"
    body = case.body
    if isinstance(body, dict):
        if "place" in body:
            body["place"] = PLACES[len(str(body["place"])) % len(PLACES)]
        if {"salary_min", "salary_max", "salary_currency", "salary_period"} & set(body):
            low, high, currency, period = PAY[len(str(body)) % len(PAY)]
            body.update(salary_min=low, salary_max=high)
            body.update(salary_currency=currency, salary_period=period)
        # The job a change reaches may be remote by then (an earlier example made it so),
        # so countries given at all are real ones, at least one.
        if body.get("workplace") == "remote" or "remote_countries" in body:
            count = len(body.get("remote_countries") or [])
            body["remote_countries"] = ["DE", "FR"][: max(count, 1)]
        if body.get("valid_through") is not None:
            body["valid_through"] = None
    return case


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_api_conforms_to_its_schema(label: str, world: dict[str, Any], client: Client) -> None:
    world["cell"] = next(
        f["properties"]["cell"]
        for f in client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 2}).json()[
            "features"
        ]
        if f["properties"].get("cell")
    )
    operation = OPERATIONS[label]
    names = {p.name for p in operation.path_parameters}
    real = {name: world[name] for name in names if name in world}
    positive = [operation.as_strategy()]
    if real:
        positive.append(operation.as_strategy(path_parameters=real))
    strategies = [
        *(s.map(lambda case: plausible(case, world)) for s in positive),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    seen: Counter[int] = Counter()

    @FUZZ
    @given(case=st.one_of(strategies))
    def fuzz(case: schemathesis.Case) -> None:
        keep_connection()
        response = case.call_and_validate(headers={"Authorization": world["header"]})
        seen[response.status_code] += 1

    fuzz()
    print(label, dict(seen))
