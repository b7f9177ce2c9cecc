"""The main pages work under the Content Security Policy and break none of its rules.

Every browser test fails on a CSP violation (tests/browser/conftest.py); this one visits the
pages that carry the most script (the map, a job page with its map, the signup with htmx
autosave, the employer's dashboard and pipeline, the API docs) and checks they did work.
"""

import pytest

from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .conftest import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs


def test_the_main_pages_run_under_the_csp(live_server, page, employer, company) -> None:
    job = make_job(company, title="Harbour Crane Operator", lat=56.46, lng=-2.97, city="Dundee")
    applicant = apply_to(job, candidate_with_resume("csp-applicant")).candidate.user

    response = page.goto(f"{live_server.url}/#12/56.46/-2.97")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    page.locator("#map-status", has_text="1 job in view").wait_for()
    page.locator(".job-pin").first.wait_for()

    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    page.locator("#map .leaflet-marker-icon, #map .job-pin").first.wait_for()

    page.goto(f"{live_server.url}/signup/")
    page.get_by_label("First name").fill("Csp")
    # htmx autosaves the typing: it runs, without eval, under the policy.
    with page.expect_response(lambda r: "/signup/" in r.url and r.request.method == "POST"):
        page.get_by_label("Last name").fill("Tester")

    _sign_in(page, live_server, employer.email)
    page.goto(f"{live_server.url}/employers/")
    page.get_by_text("Harbour Crane Operator").first.wait_for()
    page.goto(f"{live_server.url}/employers/jobs/{job.pk}/applicants/")
    page.get_by_text(applicant.get_full_name()).first.wait_for()

    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI drew the operations from the OpenAPI document.
    page.locator(".opblock").first.wait_for()

    assert not csp_violations(page.console_messages)


def test_the_violation_check_can_fail(live_server, browser) -> None:
    # An inline script on one of our pages is refused and reported.
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}/jobs/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ranInline = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ranInline === undefined")
    context.close()
    assert csp_violations(messages)
