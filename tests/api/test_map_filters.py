"""The map's counts under every filter equal a direct SQL count, and the list says the same."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from mapertunity.core.bbox import parse_bbox
from mapertunity.core.geocoding import get_geocoder
from mapertunity.geo.gazetteer import Place
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
URL = "/api/v1/map/jobs"

PLACES = {
    "paris": Place("Paris", "", "FR", "France", 48.8566, 2.3522, 2_000_000),
    "austin": Place("Austin", "TX", "US", "United States", 30.2672, -97.7431, 900_000),
    "suva": Place("Suva", "", "FJ", "Fiji", -18.1416, 178.4419, 90_000),
}


class TestGeocoder:
    def search(self, query: str, limit: int = 8) -> list[Place]:
        place = PLACES.get(query.strip().lower())
        return [place] if place else []

    def geocode(self, query: str) -> Place | None:
        return PLACES.get(query.strip().lower())


@pytest.fixture(autouse=True)
def geocoder() -> Iterator[None]:
    get_geocoder.cache_clear()
    with override_settings(GEOCODER=f"{__name__}.TestGeocoder"):
        yield
    get_geocoder.cache_clear()


WORDS = ["nurse", "driver", "engineer", "baker", "welder"]
CURRENCIES = [("USD", 100), ("EUR", 100), ("JPY", 1), ("GBP", 100), ("ZWG", 100)]


@pytest.fixture
def varied_jobs() -> list[Job]:
    """~180 live jobs with every attribute varied, plus jobs no filter may ever count."""
    rng = random.Random(5)
    now = timezone.now()
    companies = [make_company(name=n) for n in ("Acme Works", "Blue Harbor", "Civic Care")]
    centres = [(48.8566, 2.3522), (30.2672, -97.7431), (-18.1416, 178.4419), (-17.8, -179.9)]
    jobs = []
    for i in range(180):
        if i % 3:
            lat, lng = rng.choice(centres)
            lat, lng = lat + rng.gauss(0, 0.3), max(min(lng + rng.gauss(0, 0.3), 180), -180)
        else:
            lat, lng = rng.uniform(-60, 70), rng.uniform(-180, 180)
        currency, minor = rng.choice(CURRENCIES)
        period = rng.choice(["hour", "day", "month", "year"])
        scale = {"hour": 30, "day": 250, "month": 5000, "year": 60000}[period]
        scale *= {"USD": 1, "EUR": 1, "JPY": 150, "GBP": 1, "ZWG": 10}[currency]
        low = int(scale * rng.uniform(0.5, 1.5)) * minor
        word = rng.choice(WORDS)
        jobs.append(
            make_job(
                rng.choice(companies),
                title=f"{word.title()} {i}",
                description=f"Join us as a {rng.choice(WORDS)}.",
                lat=lat,
                lng=lng,
                employment_type=rng.choice(
                    ["full_time", "part_time", "contract", "temporary", "internship"]
                ),
                workplace=rng.choice(["onsite", "hybrid", "remote"]),
                salary_min=low,
                salary_max=low + int(low * rng.uniform(0, 0.5)),
                salary_currency=currency,
                salary_period=period,
                posted_at=now - dt.timedelta(hours=rng.uniform(0, 24 * 40)),
            )
        )
    far = companies[0]
    make_job(far, title="Nurse draft", status=Job.Status.DRAFT, lat=48.85, lng=2.35)
    make_job(far, title="Nurse closed", status=Job.Status.CLOSED, lat=48.85, lng=2.35)
    make_job(far, title="Nurse expired", lat=48.85, lng=2.35, valid_through=now)
    return jobs


def random_filters(rng: random.Random) -> dict[str, object]:
    params: dict[str, object] = {}
    if rng.random() < 0.4:
        params["q"] = rng.choice([*WORDS, "nurse join", "engineers", "acme", "zzz"])
    if rng.random() < 0.4:
        params["type"] = rng.sample(["full_time", "part_time", "contract", "temporary"], 2)
    if rng.random() < 0.3:
        params["workplace"] = [rng.choice(["onsite", "hybrid", "remote"])]
    if rng.random() < 0.4:
        params["salary_min"] = rng.choice(["20", "40000", "3000", "55000.5", "8000000"])
        params["currency"] = rng.choice(["USD", "EUR", "JPY"])
        params["period"] = rng.choice(["hour", "month", "year"])
    if rng.random() < 0.3:
        params["posted_within_days"] = rng.choice([1, 3, 7, 30])
    if rng.random() < 0.2:
        params["company"] = rng.choice(["acme-works", "civic-care", "no-such-company"])
    if rng.random() < 0.25:
        params["near"] = rng.choice(["Paris", "Austin", "Suva"])
        params["radius_km"] = rng.choice([5, 30, 200, 500])
    return params


def random_box(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return "-180,-85,180,85"
    if roll < 0.6:
        lat, lng = rng.choice([(48.8566, 2.3522), (30.2672, -97.7431), (-18.1, 179.0)])
        size = rng.choice([0.2, 1, 4])
        return f"{lng - size},{lat - size},{lng + size},{lat + size}"  # may pass 180
    south, north = sorted(rng.uniform(-80, 80) for _ in range(2))
    return f"{rng.uniform(-180, 180)},{south},{rng.uniform(-180, 180)},{north}"


def sql_count(bbox: str, params: dict) -> int:
    form = JobFilterForm(params)
    assert form.is_valid(), form.errors
    jobs = form.filters().apply(Job.objects.published())
    return jobs.in_bbox(*parse_bbox(bbox)).count()


def test_map_and_list_counts_equal_sql_for_random_boxes_and_filters(
    client: Client, varied_jobs
) -> None:
    rng = random.Random(12)
    checked_nonzero = 0
    for _ in range(60):
        params = random_filters(rng)
        bbox = random_box(rng)
        zoom = rng.randint(0, 16)
        response = client.get(URL, {"bbox": bbox, "zoom": zoom, **params})
        assert response.status_code == 200, response.content
        data = response.json()
        expected = sql_count(bbox, params)
        assert data["total"] == expected, (bbox, zoom, params)
        counted = sum(
            f["properties"]["point_count"] if f["properties"]["cluster"] else 1
            for f in data["features"]
        )
        assert counted == expected
        for feature in data["features"]:
            if feature["properties"]["cluster"]:
                w, s, e, n = feature["properties"]["bbox"]
                lng, lat = feature["geometry"]["coordinates"]
                assert s - 1e-6 <= lat <= n + 1e-6 and w - 1e-6 <= lng <= e + 1e-6
        listed = client.get("/jobs/", {"bbox": bbox, **params}, headers={"HX-Request": "true"})
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == expected
        checked_nonzero += expected > 0
    assert checked_nonzero >= 15


def test_the_list_rows_are_the_counted_jobs_sorted_as_asked(client: Client, varied_jobs) -> None:
    params = {"q": "nurse", "bbox": "-10,40,10,55", "sort": "relevance"}
    page = client.get("/jobs/", params).context["page"]
    expected = sql_count(params["bbox"], {"q": "nurse"})
    assert page.paginator.count == expected > 0
    assert all("nurse" in (j.title + j.description).lower() for j in page.object_list)
    # Relevance: jobs with the word in the title first, newest first within each group.
    order = [("nurse" not in j.title.lower(), -j.posted_at.timestamp()) for j in page]
    assert order == sorted(order)

    near = client.get("/jobs/", {"near": "Paris", "radius_km": 100, "sort": "distance"})
    distances = [job.distance_km for job in near.context["page"].object_list]
    assert distances and distances == sorted(distances) and distances[-1] <= 100
    assert "km away" in near.content.decode()


def test_a_near_search_reports_the_place_and_radius(client: Client, varied_jobs) -> None:
    data = client.get(
        URL, {"bbox": "-180,-85,180,85", "zoom": 3, "near": "paris", "radius_km": 25}
    ).json()
    assert data["near"]["label"] == "Paris, France" and data["near"]["radius_km"] == 25
    assert data["total"] == sql_count("-180,-85,180,85", {"near": "paris", "radius_km": 25})


def test_filters_see_new_closed_and_expired_jobs_at_once(client: Client, varied_jobs) -> None:
    params = {"bbox": "-180,-85,180,85", "zoom": 2, "q": "zookeeper", "type": "contract"}
    assert client.get(URL, params).json()["total"] == 0
    job = make_job(title="Zookeeper", employment_type="contract", lat=10.5, lng=20.5)
    assert client.get(URL, params).json()["total"] == 1
    other = make_job(title="Zookeeper", employment_type="full_time")
    assert client.get(URL, params).json()["total"] == 1
    job.close()
    assert client.get(URL, params).json()["total"] == 0

    # A moved job is counted at its new place only.
    other.employment_type = "contract"
    other.save()
    austin = {**params, "bbox": "-98,30,-97,31"}
    assert client.get(URL, austin).json()["total"] == 1
    other.lat, other.lng = 51.5, -0.12
    other.save()
    assert client.get(URL, austin).json()["total"] == 0
    assert client.get(URL, params).json()["total"] == 1

    # Expiry needs no write: the index sweeps jobs whose closing date has passed.
    later = timezone.now() + dt.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(URL, params).json()["total"] == 0
        assert client.get(URL, {"bbox": "-180,-85,180,85", "zoom": 2}).json()["total"] == 0


def test_a_deleted_job_leaves_the_map(client: Client, varied_jobs) -> None:
    before = client.get(URL, {"bbox": "-180,-85,180,85", "zoom": 2}).json()["total"]
    varied_jobs[0].delete()
    assert client.get(URL, {"bbox": "-180,-85,180,85", "zoom": 2}).json()["total"] == before - 1


def test_filters_across_the_antimeridian(client: Client, varied_jobs) -> None:
    for params in ({"type": ["full_time", "contract"]}, {"q": "nurse"}, {"near": "suva"}):
        data = client.get(URL, {"bbox": "170,-30,-170,0", "zoom": 4, **params}).json()
        assert data["total"] == sql_count("170,-30,-170,0", params) > 0


def test_filters_that_match_nothing_return_an_empty_collection(client: Client, varied_jobs):
    for params in ({"q": "astronaut"}, {"company": "no-such-company"}, {"salary_min": "9e8"}):
        data = client.get(URL, {"bbox": "-180,-85,180,85", "zoom": 3, **params}).json()
        assert data == {"type": "FeatureCollection", "total": 0, "features": []}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"salary_min": "lots"}, "salary_min"),
        ({"salary_min": "-5"}, "salary_min"),
        ({"posted_within_days": "0"}, "posted_within_days"),
        ({"posted_within_days": "soon"}, "posted_within_days"),
        ({"radius_km": "9999", "near": "paris"}, "radius_km"),
        ({"near": "Atlantis"}, "couldn't find"),
        ({"radius_km": "10"}, "place"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "random"}, "sort"),
        ({"type": "astronaut"}, "type"),
        ({"workplace": "moon"}, "workplace"),
        ({"currency": "XYZ", "salary_min": "10"}, "currency"),
        ({"period": "decade", "salary_min": "10"}, "period"),
        ({"q": "x" * 201}, "q"),
        ({"company": "Not a slug!"}, "company"),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client: Client, params: dict, fragment: str):
    response = client.get(URL, {"bbox": "-180,-85,180,85", "zoom": 3, **params})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]
    page = client.get("/jobs/", params)
    assert page.status_code == 400
    assert "Please check the filters" in page.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/jobs", "/api/v1/map/jobs"])
@pytest.mark.parametrize(
    "param", ["workplace=", "radius_km=&near=Austin%2C+TX", "q=" + "+" * 200 + "nurse"]
)
def test_an_empty_or_overlong_parameter_is_a_400_that_names_it_on_both_paths(
    client: Client, path: str, param: str
) -> None:
    # The map's fast path and the endpoint answer alike: an API client leaves it out, and
    # the schema's maxLength counts the spaces the form would strip.
    response = client.get(f"{path}?bbox=-100,20,-90,40&zoom=5&{param}")
    assert response.status_code == 400
    name = param.split("=")[0]
    assert name in response.json()["errors"]
