"""No input is a server error: random parameters over both map endpoints, a cluster's list
and the job list, with the real offline gazetteer.

Boxes at every zoom (big empty oceans at street zoom found the cover bug), digits of other
scripts, huge and tiny numbers, junk text. Every answer must be below 500, and the API's
errors JSON with a `detail`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapertunity.accounts.models import User
from tests.helpers import make_candidate, make_company, make_job

pytestmark = pytest.mark.django_db
SWEEP = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
odd_numbers = st.sampled_from(
    [
        "²",
        "٣",
        "１２",
        "1e400",
        "-1e400",
        "nan",
        "inf",
        "-0",
        "0x10",
        "1_000",
        "",
        " ",
        "9" * 400,
        "1e-320",
        "2147483648",
        "9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "0",
    ]
)
number = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    odd_numbers,
    text,
)
lat = st.floats(-90, 90)
lng = st.floats(-540, 540)
usable_box = st.tuples(lng, lat, st.floats(1e-9, 400)).map(
    lambda b: f"{b[0]},{max(b[1] - b[2], -90)},{b[0] + b[2]},{min(b[1] + b[2], 90)}"
)
odd_box = st.one_of(
    st.tuples(lng, lat, lng, lat).map(lambda b: ",".join(repr(v) for v in b)),
    st.lists(number, min_size=0, max_size=5).map(",".join),
)


def strategies(junk: bool) -> dict[str, st.SearchStrategy]:
    """Usable values (most requests reach the index), or usable mixed with anything."""

    def choice(*values: str) -> st.SearchStrategy[str]:
        return st.one_of(st.sampled_from(values), text) if junk else st.sampled_from(values)

    def amount(*values: str) -> st.SearchStrategy[str]:
        return st.one_of(st.sampled_from(values), number) if junk else st.sampled_from(values)

    usable_zoom = st.integers(0, 22).map(str)
    jobs = {
        "q": text if junk else st.sampled_from(["nurse", "acme", "zzz", "nurse acme"]),
        "type": st.lists(choice("full_time", "contract", "internship"), max_size=3),
        "workplace": st.lists(choice("onsite", "hybrid", "remote"), max_size=3),
        "salary_min": amount("10", "50000", "0.5"),
        "currency": choice("USD", "EUR", "JPY", "usd"),
        "period": choice("hour", "year", "month"),
        "posted_within_days": amount("1", "7", "365"),
        "company": choice("acme-works", "no-such-co", "Not a slug!", ""),
        "near": choice("Berlin", "Paris", "Austin, TX", "78701", "Suva", "Atlantis", "ü", ""),
        "radius_km": amount("5", "50", "500"),
        "remote_for": choice("DE", "us", "XX", "GB"),
        "sort": choice("", "relevance", "date"),
        "page": amount("1", "2", "1000000"),
    }
    if not junk:
        # Valid on their own; radius and distance order need a place, so they come with one.
        jobs["near"] = st.sampled_from(["Berlin", "Paris", "Austin, TX", "78701", "Suva"])
        del jobs["radius_km"]
    candidates = {
        "skills": text if junk else st.sampled_from(["python", "cooking, driving"]),
        "q": text if junk else st.sampled_from(["cook", "line"]),
        "min_years": amount("0", "5", "70"),
        "max_pay": amount("1000", "90000"),
        "currency": choice("USD", "EUR"),
        "period": choice("year", "hour"),
        "workplace": choice("remote", "onsite"),
        "job": amount("1", "2"),
    }
    if not junk:
        del candidates["max_pay"]  # needs currency and period together
    return {
        "box": st.one_of(usable_box, odd_box) if junk else usable_box,
        "zoom": st.one_of(usable_zoom, st.integers(-3, 25).map(str), number)
        if junk
        else usable_zoom,
        "filters": st.fixed_dictionaries({}, optional=jobs),
        "candidate_filters": st.fixed_dictionaries({}, optional=candidates),
    }


USABLE, ANY = strategies(junk=False), strategies(junk=True)


@pytest.fixture
def world(employer: User) -> None:
    company = make_company(name="Acme Works", slug="acme-works")
    for i, (lat_, lng_) in enumerate([(52.52, 13.405), (48.85, 2.35), (30.27, -97.74)] * 4):
        make_job(company, lat=lat_ + i * 0.01, lng=lng_, title=f"Nurse {i}")
    make_job(company, workplace="remote", remote_countries=["DE"], lat=-18.14, lng=178.44)
    for _ in range(6):
        make_candidate(lat=52.52, lng=13.405)


SEEN: Counter[str] = Counter()
"""Answers by path and status (``pytest -s`` prints them): how much reached the index."""


@pytest.fixture(autouse=True)
def _report() -> Iterator[None]:
    SEEN.clear()
    yield
    print("\n" + ", ".join(f"{k}: {v}" for k, v in sorted(SEEN.items())))


def check(response) -> None:
    SEEN[f"{response.request['PATH_INFO']} {response.status_code}"] += 1
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and response.request["PATH_INFO"].startswith("/api/"):
        assert "detail" in response.json()


@pytest.mark.parametrize("space", [USABLE, ANY], ids=["usable", "any"])
def test_the_jobs_map_never_fails(client: Client, world, space: dict) -> None:
    @SWEEP
    @given(bbox=space["box"], zoom=space["zoom"], params=space["filters"])
    def sweep(bbox: str, zoom: str, params: dict) -> None:
        check(client.get("/api/v1/map/jobs", {"bbox": bbox, "zoom": zoom, **params}))

    sweep()


@pytest.mark.parametrize("space", [USABLE, ANY], ids=["usable", "any"])
def test_a_clusters_list_never_fails(client: Client, world, space: dict) -> None:
    @settings(SWEEP, max_examples=150)
    @given(
        bbox=space["box"],
        zoom=space["zoom"],
        params=space["filters"],
        cell=st.one_of(text, st.none()),
    )
    def sweep(bbox: str, zoom: str, params: dict, cell: str | None) -> None:
        answer = client.get("/api/v1/map/jobs", {"bbox": bbox, "zoom": zoom, **params})
        check(answer)
        tokens = [cell] if cell is not None else []
        if answer.status_code == 200:
            features = answer.json()["features"]
            tokens += [f["properties"]["cell"] for f in features if "cell" in f["properties"]]
        for token in tokens[:3]:
            check(client.get("/api/v1/map/jobs/cell", {"cell": token, **params}))

    sweep()


@pytest.mark.parametrize("space", [USABLE, ANY], ids=["usable", "any"])
def test_the_candidate_map_never_fails(client: Client, world, employer: User, space: dict) -> None:
    client.force_login(employer)

    @settings(SWEEP, max_examples=150)
    @given(bbox=space["box"], zoom=space["zoom"], params=space["candidate_filters"])
    def sweep(bbox: str, zoom: str, params: dict) -> None:
        check(client.get("/api/v1/map/candidates", {"bbox": bbox, "zoom": zoom, **params}))

    sweep()


@pytest.mark.parametrize("space", [USABLE, ANY], ids=["usable", "any"])
def test_the_job_list_and_home_page_never_fail(client: Client, world, space: dict) -> None:
    @settings(SWEEP, max_examples=150)
    @given(bbox=st.one_of(space["box"], st.none()), params=space["filters"])
    def sweep(bbox: str | None, params: dict) -> None:
        query = {**params, **({"bbox": bbox} if bbox is not None else {})}
        check(client.get("/jobs/", query))
        check(client.get("/", query))

    sweep()


def test_600_random_boxes_at_random_zooms_are_all_answered(client: Client, world) -> None:
    # The measurement: 197 of these were a 500 (big empty boxes at high zoom).
    rng = random.Random(600)
    assert client.get("/api/v1/map/jobs", {"bbox": "-50,20,-30,40", "zoom": 13}).json() == {
        "type": "FeatureCollection",
        "total": 0,
        "features": [],
    }
    for _ in range(600):
        w, e = rng.uniform(-180, 180), rng.uniform(-180, 180)
        s, n = sorted(rng.uniform(-85, 85) for _ in range(2))
        response = client.get(
            "/api/v1/map/jobs", {"bbox": f"{w},{s},{e},{n}", "zoom": rng.randint(0, 22)}
        )
        assert response.status_code == 200, response.content
