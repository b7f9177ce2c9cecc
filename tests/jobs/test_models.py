import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mapertunity.geo.morton import morton_key
from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_closed_and_jobs_past_their_date() -> None:
    live = make_job()
    make_job(status=Job.Status.DRAFT)
    make_job(status=Job.Status.CLOSED)
    make_job(valid_through=timezone.now() - dt.timedelta(minutes=1))
    assert list(Job.objects.published()) == [live]


def test_in_bbox_includes_edges_and_excludes_outside() -> None:
    inside = make_job(lat=10.0, lng=20.0)
    on_edge = make_job(lat=12.0, lng=22.0)
    make_job(lat=12.0001, lng=21.0)
    assert set(Job.objects.in_bbox(20, 10, 22, 12)) == {inside, on_edge}


def test_in_bbox_across_the_antimeridian() -> None:
    fiji = make_job(lat=-17.7, lng=178.0)
    samoa = make_job(lat=-13.8, lng=-171.8)
    make_job(lat=-15.0, lng=0.0)
    assert set(Job.objects.in_bbox(170, -30, -165, 0)) == {fiji, samoa}


def test_saving_fills_the_morton_key_slug_and_safe_html() -> None:
    job = make_job(title="Line Cook / Grill", description="Hi <script>alert(1)</script>")
    assert job.morton_key == morton_key(job.lat, job.lng)
    assert job.slug == "line-cook-grill"
    assert "<script" not in job.description_html


def test_moving_a_job_updates_its_key_even_with_update_fields() -> None:
    job = make_job()
    job.lat, job.lng = 48.1374, 11.5755
    job.save(update_fields=["lat", "lng"])
    job.refresh_from_db()
    assert job.morton_key == morton_key(48.1374, 11.5755)


def test_publish_sets_posted_at_and_renews_a_past_closing_date() -> None:
    job = make_job(status=Job.Status.DRAFT, posted_at=None, valid_through=timezone.now())
    job.publish()
    assert job.is_live
    assert job.posted_at is not None
    assert job.valid_through > timezone.now() + dt.timedelta(days=29)


def test_a_live_job_cannot_be_published_twice() -> None:
    with pytest.raises(ValidationError):
        make_job().publish()


def test_close_takes_the_job_off_and_cannot_repeat() -> None:
    job = make_job()
    job.close()
    assert not Job.objects.published().exists()
    assert job.is_gone
    with pytest.raises(ValidationError):
        job.close()
    with pytest.raises(ValidationError):
        job.publish()


def test_pay_is_shown_in_the_jobs_currency() -> None:
    assert make_job().pay == "$50,000–$65,000 per year"
    job = make_job(salary_min=3_000_000, salary_max=3_000_000, salary_currency="JPY")
    assert job.pay == "¥3,000,000 per year"
    assert make_job(salary_min=2500, salary_max=3000, salary_currency="CHF").pay == (
        "25–30 CHF per year"
    )


def test_the_database_refuses_a_pay_range_upside_down() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_job(salary_min=10, salary_max=5)
