"""What every API endpoint promises: HEAD wherever GET, JSON errors, bounds from one place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix

from mapertunity.geo.morton import MAX_ZOOM
from mapertunity.jobs import mapanswers
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db
MAP = "/api/v1/map/jobs"
WORLD = {"bbox": "-180,-85,180,85", "zoom": 3}


def get_paths(client: Client) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return [path for path, ops in spec["paths"].items() if "get" in ops]


def test_every_get_is_also_answered_to_head(client: Client, employer) -> None:
    client.force_login(employer)
    paths = get_paths(client)
    assert {"/api/v1/map/jobs", "/api/v1/map/jobs/cell", "/api/v1/map/candidates"} <= set(paths)
    for path in [*paths, "/api/v1/openapi.json", "/api/v1/docs"]:
        response = client.head(path, WORLD)
        assert response.status_code != 405, path
        assert response.content == b""
    head, get = client.head(MAP, WORLD), client.get(MAP, WORLD)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] == "application/json"


def test_unknown_api_paths_get_json_not_a_page(client: Client) -> None:
    for path in ("/api/v1/nothing", "/api/v1/map/jobz", "/api/v1/map/jobs/cell/x"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such API endpoint."}


def test_in_production_a_bug_is_a_json_500(
    client: Client, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False

    def broken(*args: object) -> bytes:
        raise RuntimeError("a bug")

    monkeypatch.setattr(mapanswers, "viewport", broken)
    response = client.get(MAP, WORLD)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "detail" in response.json() and "a bug" not in response.json()["detail"]


def test_the_documented_bounds_are_the_forms(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/map/jobs", "/api/v1/map/jobs/cell"):
        parameters = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
        for name in ("posted_within_days", "radius_km", "salary_min"):
            field = JobFilterForm.base_fields[name]
            assert parameters[name]["minimum"] == field.min_value
            assert parameters[name]["maximum"] == field.max_value
        assert set(JobFilterForm.base_fields) <= set(parameters)
    parameters = {p["name"]: p["schema"] for p in spec["paths"][MAP]["get"]["parameters"]}
    assert parameters["zoom"]["maximum"] == MAX_ZOOM


def test_marker_fields_come_from_the_queryset_with_reversed_urls() -> None:
    job = make_job(title="Night Baker", city="Austin", region="TX", country="US")
    [marker] = Job.objects.filter(pk=job.pk).markers()
    assert marker == {
        "id": job.pk,
        "title": "Night Baker",
        "company": job.company.name,
        "pay": job.pay,
        "place": "Austin, TX, US",
        "url": job.get_absolute_url(),
        "workplace": "onsite",
        "company_id": job.company_id,
    }
    set_script_prefix("/board/")
    try:
        [marker] = Job.objects.filter(pk=job.pk).markers()
        assert marker["url"] == job.get_absolute_url() == f"/board/jobs/{job.pk}/night-baker/"
    finally:
        set_script_prefix("/")


def test_an_answer_is_cached_until_the_index_changes(client: Client) -> None:
    make_job(lat=10, lng=10)
    first = client.get(MAP, {"bbox": "9,9,11,11", "zoom": 12}).content
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MAP, {"bbox": "9,9,11,11", "zoom": 12}).content == first
    # Only the change log is read (inline polling, as the suite runs): no markers.
    assert all("jobs_job_change" in q["sql"] for q in queries.captured_queries)
    make_job(lat=10.5, lng=10.5)
    assert client.get(MAP, {"bbox": "9,9,11,11", "zoom": 12}).json()["total"] == 2


def test_the_candidate_maps_documented_bounds_are_its_forms(client: Client) -> None:
    from mapertunity.candidates.search import CandidateSearchForm

    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/map/candidates"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    field = CandidateSearchForm.base_fields["min_years"]
    assert (parameters["min_years"]["minimum"], parameters["min_years"]["maximum"]) == (
        field.min_value,
        field.max_value,
    )
    assert set(CandidateSearchForm.base_fields) <= set(parameters)
