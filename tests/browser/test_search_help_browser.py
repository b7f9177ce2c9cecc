"""When a search goes wrong, the map says so in words and offers what was probably meant."""

from __future__ import annotations

import re

import pytest

from tests.helpers import make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed() -> None:
    company = make_company(name="Spree Care")
    for i in range(3):
        make_job(
            company,
            title=f"Night Nurse {i}",
            lat=52.52 + i * 0.01,
            lng=13.405,
            city="Berlin",
            country="DE",
        )
    make_job(company, title="Pastry Chef", lat=48.137, lng=11.575, city="Munich", country="DE")


def test_a_misspelt_place_clears_the_map_and_offers_the_closest_name(live_server, page) -> None:
    seed()
    page.goto(f"{live_server.url}/?near=Berlin&radius_km=30#3/50/10")
    page.locator("#map-status", has_text="3 jobs in view").wait_for()
    page.locator("path.near-circle").wait_for()

    # The place autocomplete of the other forms works here too.
    near = page.get_by_label("Near")
    near.fill("Muni")
    page.locator("#near-suggestions option[value^='Munich']").first.wait_for(state="attached")

    near.fill("Berln")
    near.press("Enter")
    status = page.locator("#map-status")
    status.filter(has_text="Check the filters").wait_for()
    assert "Near: We couldn't find “Berln”. Did you mean “Berlin, Germany”?" in status.inner_text()
    assert "near:" not in status.inner_text()
    # Nothing stale is left: no circle, no clusters from the search before.
    assert page.locator("path.near-circle").count() == 0
    assert page.locator(".cluster, .job-pin").count() == 0
    page.locator("#job-list .message-error", has_text="couldn't find").wait_for()

    page.get_by_role("button", name="Search for Berlin, Germany").click()
    status.filter(has_text="3 jobs in view").wait_for()
    assert page.get_by_label("Near").input_value() == "Berlin, Germany"
    page.locator("path.near-circle").wait_for()


def test_a_keyword_with_no_match_offers_the_jobs_own_spelling(live_server, page) -> None:
    seed()
    page.goto(f"{live_server.url}/#4/50/10")
    page.locator("#map-status", has_text="4 jobs in view").wait_for()
    page.get_by_label("Keywords").fill("nurce")
    page.get_by_label("Keywords").press("Enter")
    page.locator("#map-status", has_text="No jobs in this area").wait_for()
    suggestion = page.locator("#job-list .did-you-mean a", has_text="nurse")
    suggestion.wait_for()
    suggestion.click()
    page.locator("#map-status", has_text="3 jobs in view").wait_for()
    assert page.get_by_label("Keywords").input_value() == "nurse"
    assert re.search(r"[?&]q=nurse", page.url)
