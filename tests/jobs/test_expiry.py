"""Jobs past their closing date are marked expired, once, and leave the map and the list."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.billing.actions import grant
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


# -- notices, renewing, "still open" ------------------------------------------------------


def test_employers_get_one_notice_three_days_before_with_a_renew_link(employer, company) -> None:
    from django.core import mail

    now = timezone.now()
    due = make_job(company, created_by=employer, valid_through=now + dt.timedelta(days=2))
    make_job(company, title="Later", valid_through=now + dt.timedelta(days=10))
    assert actions.send_expiry_notices(now=now) == 1
    assert actions.send_expiry_notices(now=now) == 0  # safe to run every few minutes
    (email,) = mail.outbox
    assert email.to == [employer.email] and due.title in email.subject
    assert "/employers/renew/" in email.body


def test_the_renew_link_asks_for_one_press_and_renews_without_signing_in(
    client: Client, company
) -> None:
    now = timezone.now()
    job = make_job(
        company, valid_through=now + dt.timedelta(days=2), posted_at=now - dt.timedelta(days=28)
    )
    grant(company=company, credits=1, reason="A renewal", by=None)
    link = actions.renew_url(job)
    page = client.get(link)
    assert page.status_code == 200 and "Renew: still hiring" in page.content.decode()
    job.refresh_from_db()
    assert job.valid_through < now + dt.timedelta(days=3)  # a GET changes nothing
    done = client.post(link)
    assert "is renewed" in done.content.decode()
    job.refresh_from_db()
    assert job.valid_through > now + dt.timedelta(days=29)
    assert job.posted_at < now - dt.timedelta(days=27)  # renewing doesn't climb the list
    assert job.expiry_notice_sent_at is None  # ready for the next period's notice
    assert client.get("/employers/renew/forged-token/").status_code == 400


def test_an_expired_job_is_renewed_from_the_dashboard(client: Client, employer, company) -> None:
    job = make_job(company, valid_through=timezone.now() - dt.timedelta(hours=1))
    grant(company=company, credits=1, reason="A renewal", by=None)
    actions.expire_due_jobs()
    client.force_login(employer)
    assert f"/employers/jobs/{job.pk}/renew/" in client.get("/employers/").content.decode()
    client.post(f"/employers/jobs/{job.pk}/renew/")
    job.refresh_from_db()
    assert job.is_live


def test_still_open_shows_confirmed_open_on_the_job_page(client: Client, employer, company) -> None:
    job = make_job(company)
    client.force_login(employer)
    client.post(f"/employers/jobs/{job.pk}/still-open/")
    client.logout()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "confirmed open on <time datetime" in html
    assert timezone.now().strftime("%-d %B %Y") in html


def test_a_job_unconfirmed_for_60_days_is_marked_and_sinks_in_best_match(client: Client) -> None:
    now = timezone.now()
    stale = make_job(
        title="Stale Role",
        posted_at=now - dt.timedelta(days=70),
        valid_through=now + dt.timedelta(days=20),
    )
    fresh = make_job(
        title="Fresh Role",
        posted_at=now - dt.timedelta(days=75),
        confirmed_open_at=now - dt.timedelta(days=5),
        valid_through=now + dt.timedelta(days=20),
    )
    newest_stale = make_job(
        title="Older Stale",
        posted_at=now - dt.timedelta(days=65),
        valid_through=now + dt.timedelta(days=20),
    )
    html = client.get("/jobs/").content.decode()
    assert html.index("Fresh Role") < html.index("Older Stale") < html.index("Stale Role")
    assert "Not confirmed recently" in client.get(stale.get_absolute_url()).content.decode()
    assert "Not confirmed recently" not in client.get(fresh.get_absolute_url()).content.decode()
    newest = client.get("/jobs/", {"sort": "date"}).content.decode()
    assert newest.index("Older Stale") < newest.index("Stale Role") < newest.index("Fresh Role")
    assert newest_stale.is_unconfirmed


def test_an_expired_job_leaves_every_listing_at_once_and_answers_410_with_similar_jobs(
    client: Client,
) -> None:
    gone = make_job(title="Pastry Cook", valid_through=timezone.now() - dt.timedelta(minutes=1))
    similar = make_job(title="Line Cook", lat=30.5, lng=-97.6)
    closer = make_job(title="Night Porter", lat=30.27, lng=-97.74)
    # Before any sweep has run, the job is already off everything that lists jobs.
    assert "Pastry Cook" not in client.get("/jobs/").content.decode()
    assert "Pastry Cook" not in client.get("/jobs/", {"q": "pastry"}).content.decode()
    assert "Pastry Cook" not in client.get("/jobs/feed/").content.decode()
    assert gone.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    world = client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 2}).json()
    assert world["total"] == 2
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "Similar open jobs nearby" in html
    assert html.index(similar.get_absolute_url()) < html.index(closer.get_absolute_url())
    from mapertunity.jobs import tasks

    tasks.expire_jobs.enqueue()
    tasks.expire_jobs.enqueue()  # twice: the second changes nothing
    gone.refresh_from_db()
    assert gone.status == Job.Status.EXPIRED
