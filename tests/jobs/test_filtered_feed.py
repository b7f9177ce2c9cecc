"""/jobs/feed/ honours the same filters as /jobs/; a bad filter is a 400, never a 500."""

import feedparser
import pytest
from django.test import Client

from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def titles(client: Client, query: str) -> list[str]:
    response = client.get(f"/jobs/feed/{query}")
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return [entry.title.split(" at ")[0] for entry in feed.entries]


def test_keywords_narrow_the_feed(client: Client) -> None:
    make_job(title="Night Nurse")
    make_job(title="Forklift Driver")
    assert titles(client, "?q=nurse") == ["Night Nurse"]
    assert sorted(titles(client, "")) == ["Forklift Driver", "Night Nurse"]


def test_control_characters_in_a_title_or_a_search_are_left_out_of_the_feed(
    client: Client,
) -> None:
    """The forms and the API keep them, and XML 1.0 can't carry them."""
    make_job(title="Night\x01 Nurse", description="Care\x0b for patients")
    assert titles(client, "") == ["Night Nurse"]
    assert titles(client, "?q=nurse%01") == ["Night Nurse"]


def test_the_list_and_the_feed_agree_on_the_filters(client: Client) -> None:
    make_job(title="Part-time Nurse", employment_type="part_time")
    make_job(title="Full-time Nurse", employment_type="full_time")
    make_job(title="Berlin Nurse", lat=52.52, lng=13.405, city="Berlin", country="DE")
    query = "?q=nurse&type=part_time"
    assert titles(client, query) == ["Part-time Nurse"]
    assert "Part-time Nurse" in client.get(f"/jobs/{query}").content.decode()
    assert titles(client, "?q=nurse&bbox=10,50,15,55") == ["Berlin Nurse"]


def test_the_feed_names_its_search_and_links_to_it(client: Client) -> None:
    make_job(title="Night Nurse")
    feed = feedparser.parse(client.get("/jobs/feed/?q=nurse").content)
    assert "nurse" in feed.feed.title
    assert feed.feed.link.endswith("/jobs/?q=nurse")


@pytest.mark.parametrize(
    "query",
    [
        "?salary_min=lots",
        "?radius_km=50",
        "?bbox=1,2,3",
        "?posted_within_days=0",
        "?near=Nowhereville",
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason(client: Client, query: str) -> None:
    response = client.get(f"/jobs/feed/{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith("Check the search filters:")


def test_the_list_links_the_feed_of_its_search(client: Client) -> None:
    page = client.get("/jobs/?q=nurse").content.decode()
    assert 'href="/jobs/feed/?q=nurse"' in page
