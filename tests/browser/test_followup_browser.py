"""A candidate records an interview with two interviewers from their application and sends
a personalised thank-you to each through the site; on a phone, nothing scrolls sideways."""

import datetime as dt

import pytest
from django.core import mail

from mapertunity.applications import actions as applications
from mapertunity.applications.stages import Stage
from mapertunity.followup.models import Draft, Interview
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .test_applications_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 360])
def test_record_an_interview_with_two_people_and_thank_each(
    live_server, browser, employer, company, width: int
) -> None:
    job = make_job(company, title="Night Shift Warehouse Lead")
    person = candidate_with_resume("ada-interviews", skills=("Inventory control", "Forklift"))
    application = apply_to(job, person)
    applications.move(
        application=application,
        to=Stage.INTERVIEWING,
        actor=employer,
        decision_expected_on=dt.date.today() + dt.timedelta(days=9),
    )
    mail.outbox.clear()

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, person.user.email)
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="Record an interview").click()
    assert page.locator("input[name=company_name]").input_value() == "Harbor Freight Co-op"
    assert page.locator("input[name=role]").input_value() == "Night Shift Warehouse Lead"
    today = dt.date.today().isoformat()
    page.fill("input[name=date]", today)
    page.fill("input[name=time]", "00:30")
    page.get_by_label("On site").check()
    page.fill("input[name=people-0-name]", "Ana Ruiz")
    page.fill("input[name=people-0-title]", "Operations Manager")
    page.fill("input[name=people-0-email]", "ana.ruiz@harbor.example.com")
    page.fill("textarea[name=people-0-topics]", "the new cross-dock in Leeds")
    page.fill("input[name=people-1-name]", "Ben Okafor")
    page.fill("input[name=people-1-email]", "ben@harbor.example.com")
    page.fill("textarea[name=people-1-topics]", "the forklift safety programme")
    no_sideways_scroll(page, width)
    page.screenshot(path=f"{SHOTS}/followup-record-{width}.png", full_page=True)
    page.get_by_role("button", name="Save and see my plan").click()
    page.get_by_role("heading", name="Your plan").wait_for()
    assert page.get_by_role("heading", name="Send a thank-you email to Ana Ruiz").is_visible()
    assert page.get_by_role("heading", name="Connect with Ben Okafor on LinkedIn").is_visible()
    no_sideways_scroll(page, width)
    page.screenshot(path=f"{SHOTS}/followup-plan-{width}.png", full_page=True)

    interview = Interview.objects.get()
    for name, topic in (("Ana Ruiz", "cross-dock in Leeds"), ("Ben Okafor", "forklift safety")):
        draft = Draft.objects.get(
            step__interview=interview, step__kind="thank_you", contact__name=name
        )
        page.locator(f"#step-{draft.step_id}").get_by_role(
            "link", name="Read and send the draft"
        ).click()
        body = page.locator("textarea[name=body]")
        assert f"Hi {name.split()[0]}," in body.input_value()
        assert topic in body.input_value()
        body.fill(body.input_value().replace("Best wishes", "Thanks again"))
        no_sideways_scroll(page, width)
        if name == "Ana Ruiz":
            page.screenshot(path=f"{SHOTS}/followup-draft-{width}.png", full_page=True)
        page.get_by_role("button", name="Send", exact=True).click()
        page.get_by_text(f"Sent to {name}, with a copy to you.").wait_for()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.ruiz@harbor.example.com",
        "ben@harbor.example.com",
    ]
    assert all(m.reply_to == [person.user.email] and "Thanks again" in m.body for m in mail.outbox)
    assert page.locator(".sent").count() == 2
    # Tick the LinkedIn request off without leaving the page (htmx swaps the row).
    row = page.locator(".step", has_text="Connect with Ana Ruiz on LinkedIn")
    row.get_by_role("button", name="Done").click()
    page.locator(".step-done", has_text="Connect with Ana Ruiz on LinkedIn").wait_for()
    page.goto(f"{live_server.url}/followup/")
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    no_sideways_scroll(page, width)
    page.screenshot(path=f"{SHOTS}/followup-today-{width}.png", full_page=True)
    context.close()
