import pytest

from tests.browser.axe import assert_accessible
from tests.helpers import make_candidate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs


def test_an_employer_finds_candidates_by_skill_on_the_map(live_server, page, employer) -> None:
    for i in range(6):
        make_candidate(f"welder-{i}", skills=("Welding",), headline="Pipe welder")
        make_candidate(f"baker-{i}", skills=("Baking",), headline="Baker")
    sign_in(page, live_server, employer.email)

    page.goto(f"{live_server.url}/candidates/map/#9/30.27/-97.74")
    cluster = page.locator(".cluster")
    cluster.first.wait_for()
    assert cluster.all_inner_texts() == ["12"]
    page.locator("#map-status", has_text="12 candidates in view").wait_for()
    assert_accessible(page, "the candidate map")

    page.get_by_label("Skills").fill("welding")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("#map-status", has_text="6 candidates in view").wait_for()
    page.locator(".result-count", has_text="6 candidates in view").wait_for()
    assert "skills=welding" in page.url
    assert page.locator(".cluster").all_inner_texts() == ["6"]

    page.locator("#job-list a", has_text="Sam Rivera").first.click()
    page.wait_for_url("**/u/welder-*/")
    assert "Pipe welder" in page.content()


def test_clicking_a_candidate_cluster_zooms_in(live_server, page, employer) -> None:
    for i in range(5):
        make_candidate(f"north-{i}", lat=30.45, lng=-97.74)
        make_candidate(f"south-{i}", lat=30.10, lng=-97.74)
    sign_in(page, live_server, employer.email)
    page.goto(f"{live_server.url}/candidates/map/#7/30.27/-97.74")
    page.locator("#map-status", has_text="10 candidates in view").wait_for()
    page.locator(".cluster").first.click()
    page.wait_for_function("() => window.mapertunityMap.getZoom() > 7")
    page.locator("#map-status", has_text="candidates in view").wait_for()
