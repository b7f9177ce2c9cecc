"""On a 360 px phone: a header that fits, the list one tap from the map, no sideways scroll."""

from __future__ import annotations

import pytest

from tests.blog.helpers import make_post
from tests.helpers import make_candidate, make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def test_the_map_page_is_the_map_or_the_list_one_tap_apart(live_server, phone) -> None:
    company = make_company(name="Leith Docks")
    for i in range(4):
        make_job(company, title=f"Crane Operator {i}", lat=55.97 + i * 0.01, lng=-3.17)
    phone.goto(f"{live_server.url}/#11/55.98/-3.17")
    phone.locator("#map-status", has_text="4 jobs in view").wait_for()
    no_sideways_scroll(phone)
    assert not phone.locator(".list-pane").is_visible()

    # The header fits: its links sit behind one Menu button.
    assert not phone.get_by_role("link", name="Sign in").is_visible()
    phone.get_by_text("Menu").tap()
    phone.get_by_role("link", name="Sign in").wait_for()
    assert phone.get_by_role("link", name="Create profile").is_visible()
    phone.get_by_text("Menu").tap()

    phone.get_by_role("button", name="List 4").tap()
    phone.locator(".list-pane .job-card", has_text="Crane Operator").first.wait_for()
    assert not phone.locator("#map").is_visible()
    phone.get_by_role("button", name="Map").tap()
    phone.locator(".cluster, .job-pin").first.wait_for()

    # More filters open as a sheet with its way back on top.
    phone.get_by_text("More filters").tap()
    phone.get_by_label("Part-time").wait_for()
    no_sideways_scroll(phone)
    phone.get_by_role("button", name="Show jobs").tap()
    phone.locator("#map-status", has_text="4 jobs in view").wait_for()
    assert not phone.get_by_label("Part-time").is_visible()


def test_every_main_page_fits_a_360px_screen(live_server, phone, employer) -> None:
    job = make_job(
        title="Senior Principal Supercalifragilistic Infrastructure Reliability Engineer",
        street_address="1200 Congress Avenue",
        postal_code="78701",
    )
    post = make_post(title="Negotiating your first salary without a recruiter in the middle")
    make_candidate("phone-candidate")
    for url in (
        "/",
        "/jobs/",
        job.get_absolute_url(),
        "/blog/",
        post.get_absolute_url(),
        "/signup/",
        "/accounts/login/",
        "/u/phone-candidate/",
        "/api/v1/docs",
    ):
        phone.goto(f"{live_server.url}{url}")
        phone.locator("body").wait_for()
        no_sideways_scroll(phone)

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=login]", employer.email)
    phone.fill("input[name=password]", "correct-horse-battery")
    phone.click("form button[type=submit]")
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs
    for url in ("/employers/", "/employers/jobs/new/", "/candidates/map/", "/candidates/"):
        phone.goto(f"{live_server.url}{url}")
        phone.locator("main").wait_for()
        no_sideways_scroll(phone)
