"""The daily digest: the steps due, in the candidate's time zone, once per local day even
with two workers, and never to someone who switched it off."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mapertunity.accounts.notifications import Kind, opt_out
from mapertunity.followup import digest, tasks
from mapertunity.followup.models import CoachSettings
from tests.applications.helpers import candidate_with_resume

from .helpers import local, record

pytestmark = pytest.mark.django_db

START = local("America/New_York", 2025, 6, 3, 10, 0)  # Tuesday; follow-up due Tue 10 June


@pytest.fixture
def person():
    p = candidate_with_resume("ada")
    record(p.user, starts_at=START)
    return p


def run(at: dt.datetime) -> int:
    return digest.send_due_digests(now=at)


def test_the_digest_lists_the_days_steps_after_seven_local_time(person) -> None:
    assert run(local("America/New_York", 2025, 6, 4, 6, 59)) == 0
    assert run(local("America/New_York", 2025, 6, 4, 7, 5)) == 1
    [email] = mail.outbox
    assert email.to == [person.user.email]
    assert email.subject.startswith("Today, Wednesday 4 June")
    assert "Connect with Ana Ruiz on LinkedIn" in email.body
    assert "Overdue: Send a thank-you email to Ben Okafor" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_is_sent_once_per_local_day_however_often_it_runs(person) -> None:
    morning = local("America/New_York", 2025, 6, 4, 7, 0)
    sent = sum(run(morning + dt.timedelta(minutes=5 * n)) for n in range(12 * 16))
    assert sent == 1 and len(mail.outbox) == 1
    assert run(local("America/New_York", 2025, 6, 5, 7, 1)) == 1  # the next day, again


def test_two_workers_at_the_same_moment_send_one_digest(person, monkeypatch) -> None:
    """The second worker reads the candidate before the first one claims the day: the
    conditional UPDATE lets only one of them through."""
    at = local("America/New_York", 2025, 6, 4, 7, 30)
    real_day_for = digest.day_for
    raced: list[int] = []

    def day_for_with_a_rival(coach: CoachSettings, *, now: dt.datetime) -> digest.Day:
        day = real_day_for(coach, now=now)
        if not raced:
            raced.append(0)
            raced[0] = run(at)  # the other worker, all the way through
        return day

    monkeypatch.setattr(digest, "day_for", day_for_with_a_rival)
    assert run(at) + raced[0] == 1
    assert len(mail.outbox) == 1


def test_the_recurring_task_is_safe_to_run_every_few_minutes() -> None:
    someone = candidate_with_resume("now")
    record(someone.user, starts_at=timezone.now() - dt.timedelta(hours=3), tz="UTC")
    CoachSettings.objects.filter(user=someone.user).update(digest_hour=0)
    assert [tasks.send_daily_digests.call() for _ in range(3)] == [1, 0, 0]


def test_the_local_day_follows_the_candidates_time_zone(person) -> None:
    CoachSettings.objects.filter(user=person.user).update(time_zone="Asia/Tokyo")
    # 21:00 in New York on the 3rd is 10:00 on the 4th in Tokyo: the 4th's digest is due.
    assert run(local("America/New_York", 2025, 6, 3, 21, 0)) == 1
    assert CoachSettings.objects.get(user=person.user).last_digest_on == dt.date(2025, 6, 4)


def test_a_day_with_nothing_due_sends_nothing(person) -> None:
    person.user.interviews.get().steps.filter(due_on__lte="2025-06-08").update(state="done")
    assert run(local("America/New_York", 2025, 6, 8, 9, 0)) == 0  # a Sunday between steps
    assert mail.outbox == []


def test_the_follow_up_reaches_the_digest_on_its_day(person) -> None:
    for step in person.user.interviews.get().steps.exclude(kind__in=["follow_up", "wrap_up"]):
        step.state = "done"
        step.save()
    assert run(local("America/New_York", 2025, 6, 9, 8, 0)) == 0
    assert run(local("America/New_York", 2025, 6, 10, 8, 0)) == 1
    assert "Send one follow-up email asking for an update" in mail.outbox[0].body


def test_someone_who_unsubscribed_gets_no_digest(person, client: Client) -> None:
    opt_out(user=person.user, kind=Kind.FOLLOWUP)
    run(local("America/New_York", 2025, 6, 4, 8, 0))
    assert mail.outbox == []


def test_the_digest_hour_is_theirs_to_choose(person, client: Client) -> None:
    client.force_login(person.user)
    response = client.post(
        "/followup/reminders/",
        {"time_zone": "America/New_York", "digest_hour": "9", "digests": "on"},
    )
    assert response.status_code == 302
    assert run(local("America/New_York", 2025, 6, 4, 8, 30)) == 0
    assert run(local("America/New_York", 2025, 6, 4, 9, 0)) == 1


def test_switching_the_digest_off_in_settings_opts_out(person, client: Client) -> None:
    client.force_login(person.user)
    client.post("/followup/reminders/", {"time_zone": "America/New_York", "digest_hour": "7"})
    run(local("America/New_York", 2025, 6, 4, 8, 0))
    assert mail.outbox == []
