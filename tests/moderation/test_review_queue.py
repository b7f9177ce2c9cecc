"""Staff's review queue in the admin: approve, or send back with a reason the employer
sees, changes and sends again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from mapertunity.jobs import actions as jobs
from mapertunity.jobs.models import Job
from mapertunity.moderation.models import JobReview
from tests.helpers import make_job

from ..jobs.test_employer_flow import JOB

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/jobreview/"


def first_posting(employer: User) -> Job:
    company = Company.objects.for_user(employer).get()
    job = make_job(company, status=Job.Status.DRAFT, created_by=employer)
    jobs.submit(job=job, by=employer)
    assert job.status == Job.Status.PENDING
    return job


def test_the_queue_lists_held_first_postings_with_their_reasons(
    client: Client, staff: User, new_employer: User
) -> None:
    job = first_posting(new_employer)
    make_job(title="Already Live Elsewhere")  # not in the queue
    client.force_login(staff)
    html = client.get(QUEUE).content.decode()
    assert "Warehouse Lead" in html and "First posting of a new employer" in html
    assert "Already Live Elsewhere" not in html
    page = client.get(f"{QUEUE}{job.pk}/change/").content.decode()
    assert "Run the **night shift**." in page  # the text as the employer wrote it
    assert "owner@corner-bakery.example.net (confirmed" in page


def test_approving_puts_it_live_tells_the_employer_and_trusts_the_company(
    client: Client, staff: User, new_employer: User
) -> None:
    job = first_posting(new_employer)
    client.force_login(staff)
    response = client.post(f"{QUEUE}{job.pk}/change/", {"decision": "approve"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.is_live and job.reviewed_by == staff
    assert not job.company.is_new_employer
    (email,) = mail.outbox
    assert email.to == [new_employer.email] and "is live on the map" in email.subject


def test_sending_back_needs_a_reason_the_employer_then_sees_and_can_resubmit(
    client: Client, staff: User, new_employer: User
) -> None:
    job = first_posting(new_employer)
    client.force_login(staff)
    refused = client.post(f"{QUEUE}{job.pk}/change/", {"decision": "reject", "reason": " "})
    assert "Say what the employer should change." in refused.content.decode()
    reason = "Please say where the job is based and what the shifts are."
    client.post(f"{QUEUE}{job.pk}/change/", {"decision": "reject", "reason": reason})
    job.refresh_from_db()
    assert job.status == Job.Status.REJECTED and job.review_note == reason
    assert reason in mail.outbox[-1].body and "asked for changes" in mail.outbox[-1].subject

    client.force_login(new_employer)
    assert reason in client.get("/employers/").content.decode()
    edit = client.get(f"/employers/jobs/{job.pk}/edit/").content.decode()
    assert reason in edit and "Save and send for review" in edit
    changed = {
        **JOB,
        "description": "Night shifts, 10pm to 6am, at our Austin depot.",
        "publish": "1",
    }
    client.post(f"/employers/jobs/{job.pk}/edit/", changed)
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    assert jobs.RESUBMITTED in job.review_reasons
    assert JobReview.objects.queue().filter(pk=job.pk).exists()


def test_approving_from_the_list_in_bulk(client: Client, staff: User, new_employer) -> None:
    job = first_posting(new_employer)
    client.force_login(staff)
    client.post(QUEUE, {"action": "approve_selected", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.is_live


def test_the_queue_is_for_staff_only(client: Client, employer: User, new_employer) -> None:
    job = first_posting(new_employer)
    client.force_login(employer)
    assert client.get(f"{QUEUE}{job.pk}/change/").status_code == 302  # to the admin login
    client.force_login(new_employer)
    client.post(f"{QUEUE}{job.pk}/change/", {"decision": "approve"})
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING


def test_a_long_unbroken_title_wraps_in_the_admin(client: Client, staff, new_employer) -> None:
    job = first_posting(new_employer)
    Job.objects.filter(pk=job.pk).update(title="W" * 140)  # the longest a title can be stored
    client.force_login(staff)
    html = client.get(QUEUE).content.decode()
    assert "css/admin.css" in html  # long words wrap (overflow-wrap: anywhere)
    assert "W" * 59 + "…</a>" in html  # and the list shows a shortened title
    assert "W" * 140 in client.get(f"{QUEUE}{job.pk}/change/").content.decode()
