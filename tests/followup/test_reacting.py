"""Hearing back changes the plan: the employer's stage change or message on the linked
application, or the candidate's "they replied", ends the chasing; a quiet month wraps up."""

import datetime as dt

import pytest
from django.test import Client

from mapertunity.applications import actions as applications
from mapertunity.applications.stages import Stage
from mapertunity.followup import actions
from mapertunity.followup.models import Interview, Step
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .helpers import local, record

pytestmark = pytest.mark.django_db

INTERVIEW = local("America/New_York", 2025, 6, 3, 10, 0)  # a Tuesday


@pytest.fixture
def application(employer, company):
    a = apply_to(
        make_job(company), candidate_with_resume("ada"), now=INTERVIEW - dt.timedelta(days=9)
    )
    applications.move(
        application=a,
        to=Stage.INTERVIEWING,
        actor=employer,
        decision_expected_on=dt.date(2025, 6, 12),
        now=INTERVIEW - dt.timedelta(days=5),
    )
    return a


def states(interview: Interview) -> dict[str, str]:
    return {s.key.split(":")[0]: s.state for s in interview.steps.all()}


def test_an_employer_decision_after_the_interview_ends_the_follow_up_by_itself(
    application, employer
) -> None:
    interview = record(application.candidate.user, starts_at=INTERVIEW, application=application)
    applications.move(
        application=application,
        to=Stage.OFFER,
        actor=employer,
        now=INTERVIEW + dt.timedelta(days=4),
    )
    interview.refresh_from_db()
    assert interview.status == "replied"
    assert (
        "Offer" in interview.heard_back_note and "Harbor Freight Co-op" in interview.heard_back_note
    )
    assert states(interview)["follow_up"] == "ended"
    assert states(interview)["wrap_up"] == "ended"
    # The courtesies stay: a thank-you is still right after good news.
    assert interview.steps.filter(kind="thank_you", state="open").count() == 2
    # A decision makes the people met part of the network at once.
    assert all(c.next_check_in_on for c in application.candidate.user.contacts.all())


def test_an_employer_message_after_the_interview_counts_as_hearing_back(
    application, employer
) -> None:
    interview = record(application.candidate.user, starts_at=INTERVIEW, application=application)
    applications.send_message(
        conversation=application.conversation,
        sender=employer,
        body="Thanks for coming in! We'll be in touch next week.",
        now=INTERVIEW + dt.timedelta(days=2),
    )
    interview.refresh_from_db()
    assert interview.status == "replied" and "wrote to you" in interview.heard_back_note
    assert interview.steps.get(kind="follow_up").state == "ended"
    assert not any(c.next_check_in_on for c in application.candidate.user.contacts.all())


def test_a_message_before_the_interview_leaves_the_plan_alone(application, employer) -> None:
    interview = record(
        application.candidate.user,
        starts_at=INTERVIEW,
        application=application,
        now=INTERVIEW - dt.timedelta(days=2),
    )
    applications.send_message(
        conversation=application.conversation,
        sender=employer,
        body="See you on Tuesday at ten.",
        now=INTERVIEW - dt.timedelta(days=1),
    )
    interview.refresh_from_db()
    assert interview.status == "waiting"
    assert interview.steps.get(kind="follow_up").state == "open"


def test_another_applications_news_changes_nothing(application, employer, company) -> None:
    interview = record(application.candidate.user, starts_at=INTERVIEW, application=application)
    other = apply_to(make_job(company, title="Dock Hand"), candidate_with_resume("bo"))
    applications.move(
        application=other, to=Stage.REVIEWING, actor=employer, now=INTERVIEW + dt.timedelta(days=1)
    )
    interview.refresh_from_db()
    assert interview.status == "waiting"


def test_the_candidate_marking_they_replied_ends_the_chasing(client: Client) -> None:
    person = candidate_with_resume("cy")
    interview = record(person.user, starts_at=INTERVIEW)
    client.force_login(person.user)
    response = client.post(f"/followup/interviews/{interview.pk}/replied/")
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "replied"
    assert states(interview)["follow_up"] == "ended"
    assert states(interview)["linkedin"] == "open"


def test_an_ended_step_can_be_brought_back(client: Client) -> None:
    person = candidate_with_resume("dee")
    interview = record(person.user, starts_at=INTERVIEW)
    actions.heard_back(interview=interview, note="They called.")
    step = interview.steps.get(kind="follow_up")
    client.force_login(person.user)
    client.post(f"/followup/steps/{step.pk}/", {"state": "open"})
    step.refresh_from_db()
    assert step.state == "open" and step.ended_note == ""


def test_a_silent_month_marks_it_likely_closed_and_starts_keeping_in_touch() -> None:
    person = candidate_with_resume("eve")
    interview = record(person.user, starts_at=INTERVIEW)
    wrap = interview.steps.get(kind="wrap_up")
    assert wrap.due_on == dt.date(2025, 7, 3)
    assert actions.wrap_up_quiet(now=local("America/New_York", 2025, 7, 2, 23, 0)) == 0
    at = local("America/New_York", 2025, 7, 3, 8, 0)
    assert actions.wrap_up_quiet(now=at) == 1
    assert actions.wrap_up_quiet(now=at) == 0  # once
    interview.refresh_from_db()
    assert interview.status == Interview.Status.QUIET
    assert interview.steps.get(kind="follow_up").state == "ended"
    contacts = list(person.user.contacts.all())
    assert len(contacts) == 2
    assert {c.next_check_in_on for c in contacts} == {dt.date(2025, 10, 3)}  # 3 months on


def test_a_contact_with_keep_in_touch_off_gets_no_reminder() -> None:
    person = candidate_with_resume("fay")
    interview = record(person.user, starts_at=INTERVIEW)
    ana = person.user.contacts.get(name="Ana Ruiz")
    ana.check_in_months = 0
    ana.save()
    actions.wrap_up_quiet(now=local("America/New_York", 2025, 7, 4, 8, 0))
    ana.refresh_from_db()
    assert ana.next_check_in_on is None
    assert person.user.contacts.get(name="Ben Okafor").next_check_in_on is not None
    assert interview.steps.filter(kind=Step.Kind.WRAP_UP, state="done").exists()
