"""The "Today" list: what is due, what is overdue, what comes next, and a nudge to record
an interview an employer has invited you to."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.applications import actions as applications
from mapertunity.applications.stages import Stage
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .helpers import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client: Client):
    p = candidate_with_resume("ada")
    client.force_login(p.user)
    return p


def test_an_empty_list_explains_what_recording_an_interview_gives(client: Client, person) -> None:
    page = client.get("/followup/").content.decode()
    assert "No interviews yet" in page and "Nothing due today." in page
    assert 'href="/followup/interviews/new/"' in page


def test_todays_steps_and_the_next_ones_are_listed(client: Client, person) -> None:
    record(person.user, starts_at=timezone.now() - dt.timedelta(days=3), tz="UTC")
    page = client.get("/followup/").content.decode()
    assert "Overdue" in page and "Send a thank-you email to Ana Ruiz" in page
    assert "Connect with Ben Okafor on LinkedIn" in page
    assert "Hi Ben, thank you for" in page  # the suggested LinkedIn note, ready to copy
    assert "Send one follow-up email asking for an update" in page  # coming up, within 14 days


def test_an_invitation_to_interview_prompts_recording_it(
    client: Client, person, employer, company
) -> None:
    application = apply_to(make_job(company, title="Dock Supervisor"), person)
    applications.move(application=application, to=Stage.INTERVIEWING, actor=employer)
    page = client.get("/followup/").content.decode()
    assert "Dock Supervisor" in page
    assert f"/followup/interviews/new/{application.pk}/" in page


def test_the_header_links_candidates_to_their_follow_up(client: Client, person) -> None:
    assert 'href="/followup/"' in client.get("/").content.decode()
