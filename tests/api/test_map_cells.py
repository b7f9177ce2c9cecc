"""Every job on the map is reachable: a cluster's `cell` lists exactly the jobs it counted."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.core.bbox import parse_bbox
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
MAP = "/api/v1/map/jobs"
CELL = "/api/v1/map/jobs/cell"
CITIES = [(48.8566, 2.3522), (52.52, 13.405), (30.2672, -97.7431), (37.7749, -122.4194)]


@pytest.fixture
def jobs() -> list[Job]:
    """Crowds in four cities (one building holds twenty), remote jobs, noise worldwide."""
    rng = random.Random(3)
    companies = [make_company(name=n) for n in ("Acme Works", "Blue Harbor")]
    now = timezone.now()
    made = []
    for i in range(160):
        if i % 4:
            lat, lng = rng.choice(CITIES)
            lat, lng = lat + rng.gauss(0, 0.2), lng + rng.gauss(0, 0.2)
        else:
            lat, lng = rng.uniform(-50, 65), rng.uniform(-179, 179)
        remote = rng.random() < 0.3
        made.append(
            make_job(
                rng.choice(companies),
                title=rng.choice(["Nurse", "Driver", "Welder"]) + f" {i}",
                lat=lat,
                lng=lng,
                workplace="remote" if remote else rng.choice(["onsite", "hybrid"]),
                remote_countries=rng.sample(["DE", "FR", "US", "GB"], 2) if remote else [],
                employment_type=rng.choice(["full_time", "contract"]),
                posted_at=now - dt.timedelta(hours=rng.uniform(0, 500)),
            )
        )
    made += [make_job(companies[0], title=f"Dock {i}", lat=51.5, lng=-0.12) for i in range(20)]
    return made


def random_filters(rng: random.Random) -> dict[str, object]:
    params: dict[str, object] = {}
    if rng.random() < 0.3:
        params["q"] = rng.choice(["nurse", "driver", "acme"])
    if rng.random() < 0.3:
        params["type"] = ["contract"]
    if rng.random() < 0.3:
        params["near"] = rng.choice(["Berlin", "Paris", "Austin, TX"])
        params["radius_km"] = rng.choice([20, 100, 400])
    if rng.random() < 0.2:
        params["remote_for"] = rng.choice(["DE", "us", "GB"])
    return params


def sql_ids(bbox: str, params: dict) -> set[int]:
    form = JobFilterForm(params)
    assert form.is_valid(), form.errors
    jobs = form.filters().apply(Job.objects.published()).in_bbox(*parse_bbox(bbox))
    return set(jobs.values_list("id", flat=True))


def members(client: Client, token: str, params: dict) -> tuple[int, list[int]]:
    """The total a cell reports and every id on all its pages."""
    ids: list[int] = []
    page, pages, total = 1, 1, None
    while page <= pages:
        response = client.get(CELL, {"cell": token, "page": page, **params})
        assert response.status_code == 200, response.content
        data = response.json()
        total, pages = data["total"], data["pages"]
        ids += [job["id"] for job in data["jobs"]]
        page += 1
    return total, ids


def test_the_clusters_and_singles_of_any_view_reach_every_matching_job_exactly_once(
    client: Client, jobs
) -> None:
    rng = random.Random(8)
    for _ in range(25):
        params = random_filters(rng)
        lat, lng = rng.choice(CITIES)
        size = rng.choice([0.5, 3, 30, 180])
        bbox = rng.choice(
            [
                "-180,-85,180,85",
                f"{lng - size},{max(lat - size, -85)},{lng + size},{min(lat + size, 85)}",
            ]
        )
        zoom = rng.choice([1, 3, 6, 9, 12])
        data = client.get(MAP, {"bbox": bbox, "zoom": zoom, **params}).json()
        reached: list[int] = []
        for feature in data["features"]:
            properties = feature["properties"]
            if not properties["cluster"]:
                reached.append(properties["id"])
                continue
            total, ids = members(client, properties["cell"], params)
            assert total == properties["point_count"] == len(ids)
            reached += ids
        assert sorted(reached) == sorted(sql_ids(bbox, params)), (bbox, zoom, params)
        assert len(reached) == data["total"]


def test_a_crowd_in_one_building_is_one_place_that_zooming_cannot_split(
    client: Client, jobs
) -> None:
    [crowd] = client.get(MAP, {"bbox": "-0.2,51.4,0,51.6", "zoom": 22}).json()["features"]
    assert crowd["properties"]["point_count"] == 20
    assert crowd["properties"]["same_place"] is True
    assert crowd["properties"]["can_split"] is False
    spread = client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 1}).json()["features"]
    assert any(f["properties"].get("can_split") for f in spread)
    assert not any(f["properties"].get("same_place") for f in spread)


def test_a_cells_jobs_come_a_page_at_a_time_newest_first(client: Client, jobs) -> None:
    [crowd] = client.get(MAP, {"bbox": "-0.2,51.4,0,51.6", "zoom": 22}).json()["features"]
    token = crowd["properties"]["cell"]
    first = client.get(CELL, {"cell": token}).json()
    assert (first["total"], first["page"], first["pages"], first["per_page"]) == (20, 1, 1, 20)
    docks = Job.objects.filter(title__startswith="Dock").order_by("-posted_at", "-id")
    assert [job["id"] for job in first["jobs"]] == [job.pk for job in docks]
    job = first["jobs"][0]
    assert set(job) >= {"id", "title", "company", "pay", "place", "url", "workplace", "remote"}
    assert job["url"] == docks[0].get_absolute_url()

    [world] = [
        f
        for f in client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 0}).json()["features"]
        if f["properties"]["cluster"] and f["properties"]["point_count"] > 40
    ][:1]
    count = world["properties"]["point_count"]
    last = client.get(CELL, {"cell": world["properties"]["cell"], "page": 999}).json()
    assert last["pages"] == -(-count // 20) and last["page"] == last["pages"]
    assert len(last["jobs"]) == count - 20 * (last["pages"] - 1)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("", "token"),
        ("not-a-token", "token"),
        ("40:1:0,0,1,1", "deeper"),
        ("2:ff:0,0,1,1", "outside"),
        ("4:1:0,0,1", "bbox"),
        ("4:1:0,95,1,96", "bbox"),
        ("4:" + ".".join(["1"] * 300) + ":0,0,1,1", "token"),
    ],
)
def test_a_bad_cell_is_a_400_with_a_message(client: Client, cell: str, fragment: str) -> None:
    response = client.get(CELL, {"cell": cell})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_a_cell_honours_bad_filters_with_a_400(client: Client, jobs) -> None:
    [crowd] = client.get(MAP, {"bbox": "-0.2,51.4,0,51.6", "zoom": 22}).json()["features"]
    response = client.get(CELL, {"cell": crowd["properties"]["cell"], "radius_km": "9999"})
    assert response.status_code == 400 and "radius_km" in response.json()["detail"]


# -- remote reach ---------------------------------------------------------------------------


@pytest.fixture
def remote_jobs() -> dict[str, Job]:
    company = make_company(name="Harbor Tools")
    sf = {"lat": 37.7749, "lng": -122.4194, "city": "San Francisco", "region": "CA"}
    return {
        "berlin": make_job(company, title="Berlin welder", lat=52.52, lng=13.405, country="DE"),
        "remote_eu": make_job(
            company,
            title="Remote designer",
            workplace="remote",
            remote_countries=["DE", "FR"],
            **sf,
        ),
        "remote_us": make_job(
            company, title="Remote support", workplace="remote", remote_countries=["US"], **sf
        ),
        "sf": make_job(company, title="SF cook", **sf),
    }


def test_a_search_near_a_place_finds_remote_jobs_open_to_people_living_there(
    client: Client, remote_jobs
) -> None:
    near = {"near": "Berlin", "radius_km": 50}
    data = client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 12, **near}).json()
    assert data["total"] == 2 and data["near"]["country"] == "DE"
    singles = {f["properties"]["title"]: f["properties"] for f in data["features"]}
    assert singles["Remote designer"]["remote"] is True
    assert singles["Berlin welder"]["remote"] is False

    page = client.get("/jobs/", near)
    assert page.context["page"].paginator.count == 2
    assert "Remote · open to Germany" in page.content.decode()
    # The list of a cluster marks them too: two remote jobs open to Germany in one office.
    make_job(
        title="Remote writer",
        workplace="remote",
        remote_countries=["DE"],
        lat=remote_jobs["sf"].lat,
        lng=remote_jobs["sf"].lng,
    )
    world = client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 4, **near}).json()
    [cluster] = [f for f in world["features"] if f["properties"]["cluster"]]
    assert cluster["properties"]["point_count"] == 2 and cluster["properties"]["same_place"]
    listed = client.get(CELL, {"cell": cluster["properties"]["cell"], **near}).json()
    assert sorted(j["title"] for j in listed["jobs"] if j["remote"]) == [
        "Remote designer",
        "Remote writer",
    ]

    # Only the map's viewport counts: around San Francisco just the remote job shows.
    sf = client.get(MAP, {"bbox": "-123,37,-122,38", "zoom": 10, **near}).json()
    assert sf["total"] == 2 and "SF cook" not in str(sf)
    paris = client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 3, "near": "Paris"}).json()
    assert paris["total"] == 1


def test_remote_for_lists_the_remote_jobs_open_to_a_country(client: Client, remote_jobs) -> None:
    for country, titles in (("DE", ["Remote designer"]), ("us", ["Remote support"])):
        data = client.get(
            MAP, {"bbox": "-180,-85,180,85", "zoom": 14, "remote_for": country}
        ).json()
        assert [f["properties"]["title"] for f in data["features"]] == titles
        assert all(f["properties"]["remote"] for f in data["features"])
        page = client.get("/jobs/", {"remote_for": country})
        assert page.context["page"].paginator.count == 1
    response = client.get(MAP, {"bbox": "-180,-85,180,85", "zoom": 3, "remote_for": "XX"})
    assert response.status_code == 400 and "remote_for" in response.json()["detail"]


def test_an_unknown_company_with_a_place_lists_nothing_rather_than_failing(
    client: Client,
) -> None:
    # Schemathesis found it: no company → no rows, and no distance column to read either.
    make_job(lat=30.27, lng=-97.74)
    response = client.get(
        "/api/v1/map/jobs/cell",
        {"cell": "4:2d:-180.0,-85.0,180.0,85.0", "near": "78701", "company": "no-such-co"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["jobs"] == []
