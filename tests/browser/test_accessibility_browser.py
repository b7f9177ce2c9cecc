"""axe-core finds no serious or critical problem on the main pages (signup and the
candidate map are checked inside their own walkthroughs)."""

from __future__ import annotations

import pytest

from tests.blog.helpers import make_post
from tests.browser.axe import assert_accessible
from tests.helpers import make_company, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs


def test_the_public_pages_pass_axe(live_server, page) -> None:
    company = make_company(name="Tayside Boats")
    for i in range(3):
        make_job(company, title=f"Boat Builder {i}", lat=56.46, lng=-2.97, city="Dundee")
    remote = make_job(
        company,
        title="Remote Naval Architect with a very long title that wraps over several lines",
        workplace="remote",
        remote_countries=["GB", "IE"],
        lat=56.5,
        lng=-2.9,
        city="Dundee",
        country="GB",
    )
    post = make_post(title="How to read a pay range", body="## Pay\n\nRead **both** ends.")

    page.goto(f"{live_server.url}/#12/56.48/-2.94")
    page.locator("#map-status", has_text="4 jobs in view").wait_for()
    assert_accessible(page, "the map")
    page.locator(".cluster").click()
    page.locator(".popup-list .job-card").first.wait_for()
    # Done fading in and refreshing (axe reads colours as drawn).
    # A function, not an expression: Playwright evals expressions, which the CSP blocks.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        " && !document.getElementById('map').hasAttribute('aria-busy')"
        # The side list dims while it refreshes after the popup's pan.
        " && document.getElementById('job-list').getAttribute('aria-busy') !== 'true'"
    )
    assert_accessible(page, "the map with a place's list open")

    for url in (
        "/jobs/",
        "/jobs/?q=boat&near=Dundee",
        remote.get_absolute_url(),
        "/blog/",
        post.get_absolute_url(),
        "/accounts/login/",
    ):
        page.goto(f"{live_server.url}{url}")
        page.locator("main").wait_for()
        assert_accessible(page, url)


def test_the_employer_job_form_passes_axe(live_server, page, employer) -> None:
    sign_in(page, live_server, employer.email)
    page.goto(f"{live_server.url}/employers/jobs/new/")
    page.locator("form").first.wait_for()
    assert_accessible(page, "the job form")
    # Shown again with errors, it still passes.
    page.locator("form.job-form button[type=submit], form button[type=submit]").last.click()
    page.locator(".errorlist").first.wait_for()
    assert_accessible(page, "the job form with errors")
