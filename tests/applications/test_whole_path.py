"""The path the product exists for: apply, move, talk, and the employer's figures on show."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mapertunity.applications import actions
from mapertunity.applications.models import Application
from tests.helpers import make_job

from .helpers import apply_to, candidate_with_resume

pytestmark = pytest.mark.django_db


def test_apply_interview_message_reply_and_the_rate_appears(
    client: Client, employer, company
) -> None:
    job = make_job(company, title="Bike Mechanic")
    # Five earlier applicants, all answered within a day: enough to show figures.
    for _ in range(5):
        earlier = apply_to(job, now=timezone.now() - dt.timedelta(days=20))
        actions.move(
            application=earlier,
            to="reviewing",
            actor=employer,
            now=earlier.created_at + dt.timedelta(hours=20),
        )
    person = candidate_with_resume("kit-fixes-bikes")
    client.force_login(person.user)
    client.post(
        f"/jobs/{job.pk}/apply/", {"resume_choice": "profile", "cover_note": "I build wheels."}
    )
    application = Application.objects.get(candidate=person)

    client.force_login(employer)
    decide = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    client.post(
        f"/employers/applicants/{application.pk}/move/",
        {"to": "interviewing", "next_step": "Come to the workshop", "decision_expected_on": decide},
    )
    client.post(application.conversation.get_absolute_url(), {"body": "Can you come Friday at 9?"})

    client.force_login(person.user)
    page = client.get(application.get_absolute_url()).content.decode()
    assert (
        "Interviewing" in page
        and "Come to the workshop" in page
        and "Can you come Friday at 9?" in page
    )
    client.post(application.conversation.get_absolute_url(), {"body": "Friday at 9 is perfect."})
    client.force_login(employer)
    assert "Friday at 9 is perfect." in client.get(application.get_employer_url()).content.decode()

    subjects = [m.subject for m in mail.outbox if person.user.email in m.to]
    assert "Harbor Freight Co-op would like to interview you" in subjects
    assert any(s.startswith("New message") for s in subjects)
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert "Responds to 100% within 14 days" in job_page
