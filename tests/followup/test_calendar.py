"""The calendar: a feed at a secret, revocable URL, read back with icalendar; UIDs that
survive re-planning; a one-off file per interview with alarms."""

import datetime as dt

import pytest
from django.test import Client
from icalendar import Calendar

from mapertunity.followup import actions
from mapertunity.followup.models import CoachSettings
from tests.applications.helpers import candidate_with_resume

from .helpers import ANA, BEN, local, record

pytestmark = pytest.mark.django_db

START = local("America/New_York", 2025, 6, 3, 10, 0)


@pytest.fixture
def person():
    p = candidate_with_resume("ada")
    record(p.user, starts_at=START, decision_expected_on=dt.date(2025, 6, 11))
    return p


def feed_of(client: Client, person) -> Calendar:
    coach = CoachSettings.objects.get(user=person.user)
    response = client.get(f"/followup/calendar/{coach.feed_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_has_the_interview_and_every_open_step_as_events(client: Client, person) -> None:
    cal = feed_of(client, person)
    found = events(cal)
    summaries = sorted(str(e["SUMMARY"]) for e in found.values())
    assert "Interview: Warehouse Lead at Harbor Freight Co-op" in summaries
    assert "Send a thank-you email to Ana Ruiz (Harbor Freight Co-op)" in summaries
    assert "Connect with Ben Okafor on LinkedIn (Harbor Freight Co-op)" in summaries
    follow = next(e for e in found.values() if "follow-up email" in str(e["SUMMARY"]))
    assert follow.decoded("DTSTART") == dt.date(2025, 6, 13)  # decision Wed 11 + 2 working days
    assert not list(cal.walk("VTODO"))  # calendars ignore to-dos in subscriptions
    assert not list(cal.walk("VALARM"))  # and drop alarms: the digest reminds instead
    interview = next(e for e in found.values() if str(e["SUMMARY"]).startswith("Interview"))
    assert interview.decoded("DTSTART") == START


def test_calendars_are_told_to_refresh_hourly_in_a_form_they_read(client: Client, person) -> None:
    coach = CoachSettings.objects.get(user=person.user)
    raw = client.get(f"/followup/calendar/{coach.feed_token}.ics").content
    # RFC 5545 durations: Outlook and Apple Calendar ignore "1:00:00".
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw


def test_uids_stay_the_same_when_the_plan_is_worked_out_again(client: Client, person) -> None:
    before = events(feed_of(client, person))
    assert events(feed_of(client, person)).keys() == before.keys()  # regenerated: same
    interview = person.user.interviews.get()
    people = [
        actions.Person(**{**p.__dict__, "interviewer_id": m.pk})
        for p, m in zip((ANA, BEN), interview.interviewers.all(), strict=True)
    ]
    later = actions.Facts(
        company_name=interview.company_name,
        role=interview.role,
        starts_at=START + dt.timedelta(days=2),  # moved to Thursday
        time_zone=interview.time_zone,
        decision_expected_on=None,
    )
    actions.update_interview(interview=interview, facts=later, people=people)
    after = events(feed_of(client, person))
    assert after.keys() == before.keys()
    moved = [
        uid for uid in after if after[uid].decoded("DTSTART") != before[uid].decoded("DTSTART")
    ]
    assert moved
    for uid in moved:
        if "SEQUENCE" in before[uid]:
            assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


def test_done_steps_leave_the_feed(client: Client, person) -> None:
    step = person.user.interviews.get().steps.get(kind="call")
    uid = f"step-{step.pk}@127.0.0.1"
    assert uid in events(feed_of(client, person))
    actions.set_step_state(step=step, state="done")
    assert uid not in events(feed_of(client, person))


def test_a_revoked_address_stops_working_at_once(client: Client, person) -> None:
    old = CoachSettings.objects.get(user=person.user).feed_token
    client.force_login(person.user)
    client.post("/followup/reminders/new-calendar-address/")
    client.logout()
    assert client.get(f"/followup/calendar/{old}.ics").status_code == 404
    assert feed_of(client, person)


def test_a_wrong_address_is_a_plain_404(client: Client, person) -> None:
    assert client.get("/followup/calendar/not-a-real-token.ics").status_code == 404


def test_the_one_off_file_carries_alarms(client: Client, person) -> None:
    interview = person.user.interviews.get()
    client.force_login(person.user)
    response = client.get(f"/followup/interviews/{interview.pk}/interview.ics")
    assert response["Content-Disposition"].startswith("attachment;")
    cal = Calendar.from_ical(response.content)
    found = events(cal)
    assert all(list(e.walk("VALARM")) for e in found.values())
    ana = next(e for e in found.values() if "thank-you email to Ana" in str(e["SUMMARY"]))
    [alarm] = ana.walk("VALARM")
    assert alarm.decoded("TRIGGER") == (START + dt.timedelta(hours=1, minutes=30)).astimezone(
        dt.UTC
    )
