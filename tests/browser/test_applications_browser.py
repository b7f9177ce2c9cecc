"""A candidate applies in one form; the employer moves them to interviewing and writes."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mapertunity.applications.models import Application
from tests.applications.helpers import candidate_with_resume, question
from tests.helpers import make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the map, or an employer's jobs


def test_apply_then_interview_then_talk(live_server, browser, employer, company) -> None:
    job = make_job(company, title="Night Shift Warehouse Lead")
    question(job, "Do you hold a forklift licence?", kind="yes_no")
    person = candidate_with_resume("ada-applies")

    seeker = browser.new_context(viewport={"width": 360, "height": 780})
    page = seeker.new_page()
    sign_in(page, live_server, person.user.email)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    page.get_by_role("link", name="Apply now").click()
    page.get_by_label("Yes").check()
    page.get_by_label("Cover note (optional)").fill("I ran a night crew of twelve for three years.")
    page.screenshot(path=f"{SHOTS}/apply-phone.png", full_page=True)
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Your application to Harbor Freight Co-op is sent").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    application = Application.objects.get()
    assert application.answers.get().value == "yes"

    boss = browser.new_context(viewport={"width": 1280, "height": 800})
    desk = boss.new_page()
    sign_in(desk, live_server, employer.email)
    desk.goto(f"{live_server.url}/employers/jobs/{job.pk}/applicants/")
    card = desk.locator(".board-column", has_text="Applied").locator(".board-card")
    # One move, by keyboard, through htmx: the focus follows the applicant to their new
    # column and a live region says where they went.
    card.get_by_role("button", name="Interview").focus()
    desk.keyboard.press("Enter")
    desk.locator(".board-column", has_text="Interviewing").get_by_text(
        person.user.display_name
    ).wait_for()
    desk.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.applicant"
    )
    column = desk.evaluate("document.activeElement.closest('.board-column').querySelector('h2').id")
    assert column == "col-interviewing"
    assert desk.locator("#pipeline-status").text_content() == (
        f"{person.user.display_name} moved to Interviewing."
    )
    assert desk.url.endswith(f"/employers/jobs/{job.pk}/applicants/")
    desk.screenshot(path=f"{SHOTS}/pipeline-desktop.png", full_page=True)
    desk.get_by_role("link", name=person.user.display_name).click()
    desk.locator("textarea[name=body]").fill("Could you come in on Thursday at 10?")
    desk.get_by_role("button", name="Send").click()
    desk.get_by_text("Could you come in on Thursday at 10?").wait_for()

    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name="Night Shift Warehouse Lead").click()
    page.get_by_text("You're invited to interview.").wait_for()
    assert "Could you come in on Thursday at 10?" in page.content()
    page.locator("textarea[name=body]").fill("Thursday at 10 works. See you then!")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Thursday at 10 works.").wait_for()
    page.screenshot(path=f"{SHOTS}/application-phone.png", full_page=True)
    assert any("would like to interview you" in m.subject for m in mail.outbox)
    application.refresh_from_db()
    assert application.stage == "interviewing"
    assert application.created_at > timezone.now() - dt.timedelta(minutes=5)
    seeker.close()
    boss.close()
