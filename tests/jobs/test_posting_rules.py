"""Posting rules: a confirmed address before anything goes live, plausible pay, sane
lengths, a new employer's first posting reviewed, and held postings kept off the site."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.billing.actions import grant
from mapertunity.jobs import actions
from mapertunity.jobs.forms import MAX_DESCRIPTION, MAX_TITLE, JobForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job, verify_email

from .test_employer_flow import JOB

pytestmark = pytest.mark.django_db


def form(**overrides: Any) -> JobForm:
    data = {**JOB, **overrides}
    return JobForm(data=data, instance=Job(company=make_company()))


def errors(**overrides: Any) -> dict[str, list[str]]:
    bound = form(**overrides)
    assert not bound.is_valid()
    return {field: list(messages) for field, messages in bound.errors.items()}


def test_it_refuses_zero_pay() -> None:
    assert errors(salary_min="0", salary_max="0")["salary_min"] == ["Pay must be more than zero."]


def test_it_refuses_a_cent_an_hour_and_says_what_that_is_a_year() -> None:
    message = errors(salary_min="0.01", salary_max="0.01")["salary_min"][0]
    assert "$0.01 an hour is about $20 a year" in message and "the period" in message


def test_it_refuses_nine_million_an_hour() -> None:
    message = errors(salary_min="9000000", salary_max="9000000")["salary_max"][0]
    assert "$9,000,000 an hour" in message and "beyond any pay we show" in message


def test_it_refuses_a_top_more_than_three_times_the_bottom() -> None:
    assert "at most 3 times" in errors(salary_min="15", salary_max="46")["salary_max"][0]
    assert form(salary_min="15", salary_max="45").is_valid()


@pytest.mark.parametrize(
    ("low", "high", "currency", "period"),
    [
        ("15000", "22000", "INR", "month"),
        ("250000", "300000", "JPY", "month"),
        ("180", "220", "GBP", "day"),
        ("450000", "600000", "USD", "year"),
        ("9", "11", "USD", "hour"),
    ],
)
def test_plausible_pay_passes_in_any_currency_and_period(
    low: str, high: str, currency: str, period: str
) -> None:
    bound = form(salary_min=low, salary_max=high, salary_currency=currency, salary_period=period)
    assert bound.is_valid(), bound.errors


def test_a_title_over_120_characters_is_refused() -> None:
    assert "120 characters" in errors(title="W" * (MAX_TITLE + 1))["title"][0]
    assert form(title="W" * MAX_TITLE).is_valid()


def test_a_pasted_long_title_is_kept_whole_with_the_reason_not_cut_by_the_browser(
    client: Client, unverified_employer: User
) -> None:
    client.force_login(unverified_employer)
    long_title = "Bike Mechanic " + "and Repair Bench Coordinator " * 5
    response = client.post("/employers/jobs/new/", {**JOB, "title": long_title})
    assert response.status_code == 200
    field = response.context["form"]["title"]
    assert "maxlength" not in str(field)  # the browser would cut it off silently
    assert field.value() == long_title
    assert "Keep the title to 120 characters" in response.content.decode()
    assert not Job.objects.exists()


def test_a_description_over_20000_characters_is_refused() -> None:
    message = errors(description="x" * (MAX_DESCRIPTION + 1))["description"][0]
    assert "20,000 characters" in message and "20001" in message


def test_an_unconfirmed_employer_can_write_a_draft_but_it_does_not_go_live(
    client: Client, unverified_employer: User
) -> None:
    client.force_login(unverified_employer)
    response = client.post("/employers/jobs/new/", {**JOB, "publish": "1"}, follow=True)
    job = Job.objects.get()
    assert job.status == Job.Status.DRAFT
    html = response.content.decode()
    assert "Confirm your email address" in html and "Send the confirmation link again" in html
    client.post(f"/employers/jobs/{job.pk}/publish/")
    job.refresh_from_db()
    assert job.status == Job.Status.DRAFT
    with pytest.raises(actions.EmailNotConfirmed):
        actions.submit(job=job, by=unverified_employer)


def test_a_new_employers_first_posting_waits_for_review_and_later_ones_go_live(
    client: Client, new_employer: User, staff: User
) -> None:
    from mapertunity.moderation import actions as moderation

    client.force_login(new_employer)
    client.post("/employers/jobs/new/", {**JOB, "publish": "1"})
    first = Job.objects.get()
    assert first.status == Job.Status.PENDING
    assert first.review_reasons[0] == actions.FIRST_POSTING
    assert "waiting for a quick review" in client.get("/employers/").content.decode()
    moderation.approve_job(job=first, by=staff)
    grant(company=first.company, credits=1, reason="The second posting", by=None)
    client.post(
        "/employers/jobs/new/",
        {**JOB, "title": "Wheel Builder", "publish": "1", "description": "Build and true wheels."},
    )
    assert Job.objects.get(title="Wheel Builder").is_live


def test_a_held_posting_is_nowhere_public_and_its_url_answers_410(
    client: Client, employer: User, company: Any
) -> None:
    make_job(company, title="Bike Courier")  # an open job nearby
    client.force_login(employer)
    scam = {
        **JOB,
        "title": "Remote Assistant",
        "publish": "1",
        "description": "A one-time registration fee of $60 is required. Send your bank "
        "account details with your application.",
    }
    client.post("/employers/jobs/new/", scam)
    job = Job.objects.get(title="Remote Assistant")
    assert job.status == Job.Status.PENDING and job.screen_score and job.screen_score >= 5
    assert any("fee" in reason for reason in job.review_reasons)
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 410
    assert "Remote Assistant" not in client.get("/jobs/").content.decode()
    assert "Remote Assistant" not in client.get("/jobs/feed/").content.decode()
    assert job.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    world = client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 2}).json()
    assert world["total"] == 1


def test_editing_a_live_job_into_a_scam_takes_it_off_the_site(
    client: Client, employer: User, company: Any
) -> None:
    job = make_job(company)
    client.force_login(employer)
    bad = {
        **JOB,
        "description": "Like videos and earn a commission per task. Top up your "
        "account with USDT to unlock more.",
    }
    client.post(f"/employers/jobs/{job.pk}/edit/", bad)
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and actions.EDITED_LIVE in job.review_reasons


def test_confirming_the_address_later_lets_the_draft_go_live(
    client: Client, unverified_employer: User
) -> None:
    company = unverified_employer.memberships.get().company
    company.postings_approved_at = company.created_at
    company.save()
    client.force_login(unverified_employer)
    client.post("/employers/jobs/new/", {**JOB, "publish": "1"})
    verify_email(unverified_employer)
    client.post(f"/employers/jobs/{Job.objects.get().pk}/publish/")
    assert Job.objects.get().is_live
