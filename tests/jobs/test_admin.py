"""Staff change a job's status only through its transitions."""

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.jobs.models import Job
from tests.helpers import make_job, with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(
        with_mfa(User.objects.create_superuser("chief@mapertunity.example.com", "pw"))
    )
    return client


def test_the_status_field_cannot_be_edited_directly(staff_client: Client) -> None:
    job = make_job(status=Job.Status.DRAFT)
    page = staff_client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_the_publish_action_publishes_drafts_with_a_posting_date(staff_client: Client) -> None:
    job = make_job(status=Job.Status.DRAFT, posted_at=None)
    staff_client.post("/admin/jobs/job/", {"action": "publish_jobs", "_selected_action": [job.pk]})
    job.refresh_from_db()
    assert job.is_live and job.posted_at is not None


def test_the_close_action_closes_and_reports_jobs_it_cannot_close(staff_client: Client) -> None:
    live, closed = make_job(), make_job(status=Job.Status.CLOSED)
    response = staff_client.post(
        "/admin/jobs/job/",
        {"action": "close_jobs", "_selected_action": [live.pk, closed.pk]},
        follow=True,
    )
    live.refresh_from_db()
    assert live.status == Job.Status.CLOSED
    assert "already closed" in response.content.decode()
