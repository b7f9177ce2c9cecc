"""Posting the same job again to climb the list is refused, pointing to "renew"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.jobs.models import Job
from tests.helpers import make_job

from .test_employer_flow import JOB

pytestmark = pytest.mark.django_db

ORIGINAL = {
    "title": "Bike Mechanic",
    "description": "Fix bikes. Talk to riders about their commute, tune gears and true "
    "wheels in our workshop on Hawthorne, four days a week.",
}


def test_posting_the_same_job_again_is_refused_and_points_to_renew(
    client: Client, employer, company
) -> None:
    make_job(company, **ORIGINAL, posted_at=timezone.now() - dt.timedelta(days=20))
    client.force_login(employer)
    again = {
        **JOB,
        "title": "Bike mechanic!",
        "publish": "1",
        "description": ORIGINAL["description"].replace("four", "4") + " ",
    }
    response = client.post("/employers/jobs/new/", again)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is the same job as" in html and "renew that one" in html
    assert Job.objects.count() == 1


def test_an_expired_original_counts_too(client: Client, employer, company) -> None:
    make_job(company, **ORIGINAL, status=Job.Status.EXPIRED)
    client.force_login(employer)
    client.post("/employers/jobs/new/", {**JOB, **ORIGINAL, "publish": "1"})
    assert Job.objects.count() == 1


def test_a_different_job_or_a_closed_one_posted_again_is_fine(
    client: Client, employer, company
) -> None:
    make_job(company, **ORIGINAL, status=Job.Status.CLOSED)
    make_job(company, title="Bike Mechanic", description="Weekend shifts at our event stand.")
    client.force_login(employer)
    client.post("/employers/jobs/new/", {**JOB, **ORIGINAL, "publish": "1"})
    assert Job.objects.filter(title="Bike Mechanic", status=Job.Status.PUBLISHED).count() == 2


def test_another_company_copying_the_text_is_held_by_the_screen(
    client: Client, company, other_employer
) -> None:
    make_job(company, **ORIGINAL)
    client.force_login(other_employer)
    client.post("/employers/jobs/new/", {**JOB, **ORIGINAL, "publish": "1"})
    copy = Job.objects.get(company__name="Rival Logistics")
    assert copy.status == Job.Status.PENDING
    assert any("Same text as a posting by another company" in r for r in copy.review_reasons)
