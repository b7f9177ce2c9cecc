"""Anyone signed in can report a job or a message; reports reach the review queue, and a
job reported by three different accounts is hidden until staff review it."""

from __future__ import annotations

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.applications import actions as applications
from mapertunity.jobs.models import Job
from mapertunity.moderation import actions
from mapertunity.moderation.models import JobReview, Report
from tests.applications.helpers import apply_to
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def visitors(n: int) -> list[User]:
    return [
        User.objects.create_user(f"visitor{i}@example.org", "pw-long-enough-1") for i in range(n)
    ]


def report(client: Client, job: Job, user: User, reason: str = "scam") -> None:
    client.force_login(user)
    client.post(f"/report/jobs/{job.pk}/", {"reason": reason, "details": "Asked me for a fee."})


def test_a_signed_in_visitor_reports_a_job_and_it_reaches_the_queue(client: Client) -> None:
    job = make_job()
    (someone,) = visitors(1)
    client.force_login(someone)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"/report/jobs/{job.pk}/" in page
    assert "wrong with this job?" in client.get(f"/report/jobs/{job.pk}/").content.decode()
    report(client, job, someone)
    filed = Report.objects.get()
    assert (filed.job, filed.reporter, filed.reason) == (job, someone, "scam")
    assert filed.details == "Asked me for a fee."
    assert JobReview.objects.queue().filter(pk=job.pk).exists()
    job.refresh_from_db()
    assert job.is_live  # one report alone doesn't hide it


def test_three_different_accounts_hide_a_job_until_staff_review_it(
    client: Client, staff: User
) -> None:
    job = make_job()
    first, second, third = visitors(3)
    for _ in range(3):
        report(client, job, first)  # one person three times counts once
    report(client, job, second)
    job.refresh_from_db()
    assert job.is_live and Report.objects.count() == 2
    report(client, job, third)
    job.refresh_from_db()
    assert job.status == Job.Status.HIDDEN
    assert "Reported by 3 different accounts" in job.review_reasons
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 410
    world = client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 2}).json()
    assert world["total"] == 0

    actions.approve_job(job=job, by=staff)  # staff looked: it is fine
    job.refresh_from_db()
    assert job.is_live
    assert not Report.objects.open().exists()


def test_anonymous_visitors_are_asked_to_sign_in_and_the_own_company_cannot_report(
    client: Client, employer: User, company
) -> None:
    job = make_job(company)
    response = client.post(f"/report/jobs/{job.pk}/", {"reason": "scam"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    report(client, job, employer)
    assert not Report.objects.exists()
    assert f"/report/jobs/{job.pk}/" not in client.get(job.get_absolute_url()).content.decode()


def test_a_job_that_is_not_live_cannot_be_reported(client: Client) -> None:
    job = make_job(status=Job.Status.DRAFT)
    (someone,) = visitors(1)
    client.force_login(someone)
    assert client.get(f"/report/jobs/{job.pk}/").status_code == 404


def test_a_message_is_reported_from_the_conversation(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    thread = application.conversation
    message = applications.send_message(
        conversation=thread, sender=employer, body="Pay $40 for your uniform first"
    )
    client.force_login(application.candidate.user)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"?message={message.pk}" in page
    form = client.get(f"/messages/{thread.pk}/report/?message={message.pk}").content.decode()
    assert "Pay $40 for your uniform first" in form
    client.post(
        f"/messages/{thread.pk}/report/",
        {"reason": "scam", "details": "Wants money", "message": message.pk},
    )
    filed = Report.objects.get()
    assert (filed.conversation, filed.message, filed.reason) == (thread, message, "scam")
    thread.refresh_from_db()
    assert thread.reported_at is not None


def test_a_message_in_another_conversation_cannot_be_named(client: Client, employer, company):
    first = apply_to(make_job(company)).conversation
    other = apply_to(make_job(company, title="Other")).conversation
    stray = applications.send_message(conversation=other, sender=employer, body="Elsewhere")
    client.force_login(first.candidate.user)
    client.post(f"/messages/{first.pk}/report/", {"reason": "spam", "message": stray.pk})
    assert Report.objects.get().message is None


def test_staff_see_message_reports_and_can_dismiss_them(client: Client, staff, employer, company):
    application = apply_to(make_job(company))
    thread = application.conversation
    message = applications.send_message(conversation=thread, sender=employer, body="Hello there")
    applications.report(
        conversation=thread,
        reporter=application.candidate.user,
        reason="harassment",
        message=message,
    )
    client.force_login(staff)
    listing = client.get("/admin/moderation/report/").content.decode()
    assert "Conversation:" in listing
    filed = Report.objects.get()
    assert (
        "Hello there" in client.get(f"/admin/moderation/report/{filed.pk}/change/").content.decode()
    )
    client.post(
        "/admin/moderation/report/",
        {"action": "dismiss_selected", "_selected_action": [filed.pk]},
    )
    filed.refresh_from_db()
    assert filed.outcome == Report.Outcome.DISMISSED and filed.resolved_by == staff
