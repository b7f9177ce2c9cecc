"""Jobs past their closing date are marked expired, once, and leave the map and the list."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.jobs import actions
from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def test_expiring_marks_only_published_jobs_past_their_date_and_is_idempotent() -> None:
    now = timezone.now()
    due = make_job(valid_through=now - dt.timedelta(minutes=1))
    live = make_job(valid_through=now + dt.timedelta(days=3))
    draft = make_job(status=Job.Status.DRAFT, valid_through=now - dt.timedelta(days=1))
    assert actions.expire_due_jobs(now=now) == 1
    assert actions.expire_due_jobs(now=now) == 0
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "expired", live.pk: "published", draft.pk: "draft"}


def test_an_expired_job_answers_410_and_is_not_listed(client: Client) -> None:
    job = make_job(valid_through=timezone.now() - dt.timedelta(hours=1))
    actions.expire_due_jobs()
    assert client.get(job.get_absolute_url()).status_code == 410
    assert job.title not in client.get("/jobs/").content.decode()


def test_an_expired_job_can_be_published_again_for_a_new_period() -> None:
    job = make_job(valid_through=timezone.now() - dt.timedelta(hours=1))
    actions.expire_due_jobs()
    job.refresh_from_db()
    actions.publish(job=job)
    job.refresh_from_db()
    assert job.is_live and job.valid_through > timezone.now()
