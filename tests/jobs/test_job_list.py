import pytest
from django.test import Client

from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


def test_the_list_works_without_javascript_and_is_paginated(client: Client) -> None:
    company = make_company()
    for i in range(25):
        make_job(company, title=f"Role {i:02d}")
    first = client.get("/jobs/")
    assert first.status_code == 200
    assert first.context["page"].paginator.count == 25
    assert len(first.context["page"].object_list) == 20
    second = client.get("/jobs/", {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_the_list_limited_to_a_box_returns_a_fragment_for_htmx(client: Client) -> None:
    make_job(title="Austin Role")
    make_job(title="Sydney Role", lat=-33.87, lng=151.21, city="Sydney", country="AU")
    response = client.get("/jobs/", {"bbox": "-100,25,-95,35"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Austin Role" in html and "Sydney Role" not in html
    assert "<html" not in html
    assert "1</strong> job in view" in html


def test_a_bad_box_is_a_400_with_the_reason(client: Client) -> None:
    response = client.get("/jobs/", {"bbox": "1,2"})
    assert response.status_code == 400
    assert "four comma-separated numbers" in response.content.decode()


def test_the_list_can_show_one_companys_jobs(client: Client) -> None:
    bakery = make_company(name="Bakery", slug="bakery")
    make_job(bakery, title="Baker")
    make_job(title="Driver")
    html = client.get("/jobs/", {"company": "bakery"}).content.decode()
    assert "Baker" in html and "Driver" not in html
    assert "Jobs at Bakery" in html


def test_the_home_page_is_the_map_with_the_newest_jobs_listed(client: Client) -> None:
    make_job(title="Forklift Operator")
    html = client.get("/").content.decode()
    assert 'id="map"' in html
    assert "tile.openstreetmap.org" in html
    assert "OpenStreetMap" in html
    assert "Forklift Operator" in html


def test_an_empty_list_says_so(client: Client) -> None:
    assert "No jobs match" in client.get("/jobs/").content.decode()
