"""Alert digests: new matching jobs by email, each job once per alert, whatever runs it."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from mapertunity.alerts import digest, tasks
from mapertunity.alerts.models import Alert, AlertMatch, Digest
from tests.helpers import make_company

from .helpers import digests_to, job_at, job_ids_in, make_alert, make_seeker

BOX = (-98.2, 29.9, -97.2, 30.8)  # around Austin


@pytest.mark.django_db
def test_a_due_alert_emails_its_new_matching_jobs_once(company) -> None:
    seeker = make_seeker()
    alert = make_alert(seeker, box=BOX, query="q=warehouse")
    inside = [job_at(company, -97.74, 30.27), job_at(company, -97.70, 30.30)]
    job_at(company, -96.80, 32.78)  # Dallas: outside the box
    job_at(company, -97.74, 30.27, title="Barista")  # doesn't match the keywords
    job_at(company, -97.74, 30.27, posted_at=alert.created_at - dt.timedelta(hours=1))  # older

    assert tasks.send_alert_digests.call() == 1

    [message] = digests_to(seeker)
    assert message.subject == "2 new jobs for “Warehouse work”"
    assert sorted(job_ids_in(message)) == sorted(job.pk for job in inside)
    assert all(job.title in message.alternatives[0][0] for job in inside)
    assert Digest.objects.get(alert=alert).sent_at is not None

    # Due again a day later: nothing new, so nothing sent.
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert digest.send_due_digests(now=later).sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_next_digest_holds_only_what_is_new_since(company) -> None:
    seeker = make_seeker()
    make_alert(seeker, box=BOX)
    first = job_at(company, -97.74, 30.27)
    digest.send_due_digests()
    second = job_at(company, -97.70, 30.30)

    assert digest.send_due_digests().sent == 0  # not due yet: a day hasn't passed
    digest.send_due_digests(now=timezone.now() + dt.timedelta(days=1, minutes=1))

    earlier, latest = digests_to(seeker)
    assert job_ids_in(earlier) == [first.pk] and job_ids_in(latest) == [second.pk]


@pytest.mark.django_db
def test_a_job_is_never_announced_twice_by_one_alert_even_if_it_is_claimed_again(company) -> None:
    seeker = make_seeker()
    alert = make_alert(seeker, box=BOX)
    job = job_at(company, -97.74, 30.27)
    digest.send_due_digests()
    # A second claim of the same period (as if a clock went back): the match is recorded.
    Alert.objects.filter(pk=alert.pk).update(next_digest_at=timezone.now() - dt.timedelta(hours=1))
    assert digest.send_due_digests().sent == 0
    assert AlertMatch.objects.filter(alert=alert, job=job).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_two_alerts_of_one_person_each_announce_the_job(company) -> None:
    seeker = make_seeker()
    make_alert(seeker, box=BOX, name="Austin")
    make_alert(seeker, name="Anywhere")
    job = job_at(company, -97.74, 30.27)
    digest.send_due_digests()
    assert sorted(m.subject for m in digests_to(seeker)) == [
        "1 new job for “Anywhere”",
        "1 new job for “Austin”",
    ]
    assert all(job_ids_in(m) == [job.pk] for m in mail.outbox)


@pytest.mark.django_db
def test_a_weekly_alert_waits_a_week(company) -> None:
    seeker = make_seeker()
    make_alert(seeker, frequency="weekly", days_ago=2)
    job_at(company, -97.74, 30.27)
    assert digest.send_due_digests().sent == 0
    assert digest.send_due_digests(now=timezone.now() + dt.timedelta(days=5, minutes=1)).sent == 1


@pytest.mark.django_db
def test_a_paused_alert_sends_nothing_and_resuming_does_not_flood(company) -> None:
    from mapertunity.alerts import actions

    seeker = make_seeker()
    alert = make_alert(seeker)
    actions.pause_alert(alert=alert)
    job_at(company, -97.74, 30.27)
    assert digest.send_due_digests().sent == 0
    actions.resume_alert(alert=alert)
    alert.refresh_from_db()
    assert alert.next_digest_at > timezone.now() + dt.timedelta(hours=23)


@pytest.mark.django_db
def test_the_email_has_a_one_click_unsubscribe_for_this_alert_only(client: Client, company) -> None:
    seeker = make_seeker()
    mine = make_alert(seeker, box=BOX, name="Austin")
    other = make_alert(seeker, name="Anywhere")
    job_at(company, -97.74, 30.27)
    digest.send_due_digests()
    message = next(m for m in mail.outbox if "Austin" in m.subject)
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith(f"<{settings.SITE_URL}/alerts/unsubscribe/") and link.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = link[1:-1]
    assert url in message.body and url in message.alternatives[0][0]

    path = url.removeprefix(settings.SITE_URL)
    # A mail scanner following the link changes nothing; the one-click POST does.
    assert client.get(path).status_code == 200
    assert not Alert.objects.get(pk=mine.pk).is_paused
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Alert.objects.get(pk=mine.pk).is_paused
    assert not Alert.objects.get(pk=other.pk).is_paused


@pytest.mark.django_db
def test_a_tampered_unsubscribe_link_is_refused(client: Client) -> None:
    response = client.post("/alerts/unsubscribe/not-a-real-token/")
    assert response.status_code == 400


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.blog.helpers.FlakyBackend")
def test_a_digest_the_mail_server_refused_is_sent_by_the_next_run(company) -> None:
    from tests.blog.helpers import FlakyBackend

    seeker = make_seeker()
    make_alert(seeker)
    job = job_at(company, -97.74, 30.27)
    FlakyBackend.allow, FlakyBackend.error, FlakyBackend.down = 0, ConnectionResetError, False
    try:
        assert digest.send_due_digests().sent == 0  # the server hung up
        assert Digest.objects.get().sent_at is None
        FlakyBackend.allow = 10
        assert digest.send_due_digests().sent == 1  # not due again, but the unsent one goes
        assert digest.send_due_digests().sent == 0
    finally:
        FlakyBackend.allow = 0
    [message] = mail.outbox
    assert job_ids_in(message) == [job.pk]


@pytest.mark.django_db
def test_the_worker_runs_the_digest_task_on_a_schedule() -> None:
    assert ("mapertunity.alerts.tasks.send_alert_digests", 300) in settings.RECURRING_TASKS


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.alerts.helpers.SlowBackend")
def test_two_workers_at_once_email_each_job_once_per_alert() -> None:
    company = make_company(name="Harbor Freight Co-op", slug="harbor")
    seekers = [make_seeker(f"seeker{n}") for n in range(4)]
    alerts = []
    for seeker in seekers:
        alerts.append(make_alert(seeker, box=BOX, name="Austin"))
        alerts.append(make_alert(seeker, name="Anywhere"))
    jobs = [job_at(company, -97.74 + n / 100, 30.27) for n in range(5)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            digest.send_due_digests()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert len(mail.outbox) == len(alerts)
    per_alert = Counter((m.to[0], m.subject, job) for m in mail.outbox for job in job_ids_in(m))
    assert set(per_alert.values()) == {1}
    assert len(per_alert) == len(alerts) * len(jobs)
    assert AlertMatch.objects.count() == len(alerts) * len(jobs)
    assert Digest.objects.filter(sent_at__isnull=True).count() == 0
