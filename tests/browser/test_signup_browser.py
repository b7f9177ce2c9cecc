import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from mapertunity.candidates.models import CandidateProfile
from tests.browser.axe import assert_accessible
from tests.candidates.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_job_seeker_walks_the_five_steps_with_a_resume(live_server, page, tmp_path) -> None:
    resume = tmp_path / "my resume.pdf"
    resume.write_bytes(pdf_bytes("Maya Lind. Line cook, grill and pastry."))

    page.goto(f"{live_server.url}/signup/")
    assert_accessible(page, "signup: name")
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Lind")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/signup/id/")
    assert_accessible(page, "signup: public ID")
    handle = page.get_by_label("Your public ID")
    handle.fill("admin")
    page.locator(".handle-status-bad", has_text="is not available").wait_for()
    handle.fill("maya-lind")
    page.locator(".handle-status-ok", has_text="available").wait_for()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/signup/contact/")
    assert_accessible(page, "signup: contact")
    page.get_by_label("Email").fill("maya@people.example.org")
    page.locator("#id_password1").fill("grill-and-pastry-9")
    page.get_by_label("Password again").fill("grill-and-pastry-9")
    page.get_by_label("Where do you live?").fill("Portland, OR")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/signup/sent/")
    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert_accessible(page, "signup: check your inbox")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)[0]
    page.goto(f"{live_server.url}{urlsplit(link).path}")
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/signup/about/")
    assert_accessible(page, "signup: about you")
    page.get_by_label("Headline").fill("Line cook")
    page.get_by_label("Skills").fill("Grill, Pastry")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/signup/resume/")
    # Back keeps what was typed.
    page.get_by_role("link", name="← Back").click()
    page.wait_for_url("**/signup/about/")
    assert page.get_by_label("Headline").input_value() == "Line cook"
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/signup/resume/")
    assert page.locator("[aria-current=step]").inner_text().strip() == "Your resume"
    assert_accessible(page, "signup: resume")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Upload and finish")).click()

    page.wait_for_url("**/u/maya-lind/")
    assert page.locator("h1").inner_text() == "Maya Lind"
    assert_accessible(page, "the new profile")
    assert "employers can find you" in page.content()
    profile = CandidateProfile.objects.get(user__handle="maya-lind")
    assert profile.is_complete and "pastry" in profile.resume.text.lower()
