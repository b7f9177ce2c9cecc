"""The jobs page offers what each status allows: a draft is published or deleted, never
closed; a job sent for the site is closed, never deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def _actions(client: Client, job: Job) -> set[str]:
    html = client.get("/employers/").content.decode()
    return {
        name
        for name, url in [
            ("close", f"/employers/jobs/{job.pk}/close/"),
            ("delete", f"/employers/jobs/{job.pk}/delete/"),
            ("publish", f"/employers/jobs/{job.pk}/publish/"),
        ]
        if f'action="{url}"' in html
    }


def test_a_draft_offers_publish_and_delete_but_not_close(client: Client, employer, company) -> None:
    draft = make_job(company, status=Job.Status.DRAFT, posted_at=None)
    client.force_login(employer)
    assert _actions(client, draft) == {"publish", "delete"}


@pytest.mark.parametrize(
    "status", [Job.Status.PUBLISHED, Job.Status.PENDING, Job.Status.REJECTED, Job.Status.HIDDEN]
)
def test_a_job_sent_for_the_site_offers_close_but_not_delete(
    client: Client, employer, company, status: str
) -> None:
    job = make_job(company, status=status)
    client.force_login(employer)
    actions = _actions(client, job)
    assert "close" in actions and "delete" not in actions


def test_a_closed_job_offers_neither(client: Client, employer, company) -> None:
    job = make_job(company, status=Job.Status.CLOSED)
    client.force_login(employer)
    assert _actions(client, job) == set()


def test_deleting_a_draft_removes_it(client: Client, employer, company) -> None:
    draft = make_job(company, title="Half-written Role", status=Job.Status.DRAFT, posted_at=None)
    client.force_login(employer)
    response = client.post(f"/employers/jobs/{draft.pk}/delete/", follow=True)
    assert not Job.objects.filter(pk=draft.pk).exists()
    assert "Deleted the draft “Half-written Role”." in response.content.decode()


def test_a_live_job_is_not_deleted_and_the_page_says_why(client: Client, employer, company) -> None:
    job = make_job(company)
    client.force_login(employer)
    response = client.post(f"/employers/jobs/{job.pk}/delete/", follow=True)
    assert Job.objects.get(pk=job.pk).is_live
    assert "Only a draft can be deleted" in response.content.decode()


def test_a_draft_is_not_closed_and_the_page_says_why(client: Client, employer, company) -> None:
    draft = make_job(company, status=Job.Status.DRAFT, posted_at=None)
    client.force_login(employer)
    response = client.post(f"/employers/jobs/{draft.pk}/close/", follow=True)
    assert Job.objects.get(pk=draft.pk).status == Job.Status.DRAFT
    assert "A draft isn&#x27;t closed: delete it, or publish it." in response.content.decode()


def test_the_model_refuses_both_wrong_ways_round() -> None:
    with pytest.raises(ValidationError):
        make_job(status=Job.Status.DRAFT).close()
    with pytest.raises(ValidationError):
        make_job().delete_draft()
