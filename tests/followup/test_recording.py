"""Recording an interview through the form: from an application or a job found elsewhere,
the people met as contacts, clear errors that keep what was typed, and editing."""

import datetime as dt

import pytest
from django.test import Client

from mapertunity.applications import actions as applications
from mapertunity.applications.stages import Stage
from mapertunity.followup import actions
from mapertunity.followup.models import Contact, Interview, Step
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .helpers import ANA, local, record, set_zone

pytestmark = pytest.mark.django_db


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "company_name": "Northwind Bakery",
        "role": "Logistics Coordinator",
        "date": "2025-06-03",
        "time": "10:00",
        "time_zone": "America/New_York",
        "duration_minutes": "60",
        "format": "video",
        "next_steps": "A second round next week.",
        "decision_expected_on": "2025-06-11",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-0-name": "Ana Ruiz",
        "people-0-title": "Operations Manager",
        "people-0-email": "ana.ruiz@northwind.example.com",
        "people-0-linkedin_url": "linkedin.com/in/ana-ruiz",
        "people-0-topics": "the new Leeds depot",
        "people-1-name": "Ben Okafor",
        "people-1-email": "ben@northwind.example.com",
        "people-1-topics": "forklift safety",
    }
    data.update(changes)
    return data


@pytest.fixture
def person(client: Client):
    p = candidate_with_resume("ada")
    set_zone(p.user, "America/New_York")
    client.force_login(p.user)
    return p


def test_recording_an_outside_interview_makes_a_dated_plan_and_contacts(
    client: Client, person
) -> None:
    response = client.post("/followup/interviews/new/", form_data())
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"] == interview.get_absolute_url()
    assert interview.is_outside_job
    assert interview.starts_at == local("America/New_York", 2025, 6, 3, 10, 0)
    assert sorted(c.name for c in Contact.objects.filter(owner=person.user)) == [
        "Ana Ruiz",
        "Ben Okafor",
    ]
    ana = Contact.objects.get(name="Ana Ruiz")
    assert ana.linkedin_url == "https://linkedin.com/in/ana-ruiz"
    assert ana.company == "Northwind Bakery"
    due = {(s.kind, s.person.name if s.person else ""): s.due_on for s in interview.steps.all()}
    assert due[("thank_you", "Ana Ruiz")] == dt.date(2025, 6, 3)
    assert due[("linkedin", "Ben Okafor")] == dt.date(2025, 6, 4)
    assert due[("follow_up", "")] == dt.date(2025, 6, 13)
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "Send a thank-you email to Ana Ruiz" in page
    assert "Read and send the draft" in page
    assert "Tuesday 3 June 2025, 10:00" in page  # on the interview's own clock, not UTC
    assert "Best sent by 23:59 on Tuesday" in page


def test_recording_from_an_application_fills_in_what_the_employer_said(
    client: Client, person, employer, company
) -> None:
    application = apply_to(make_job(company, title="Night Shift Lead"), person)
    applications.move(
        application=application,
        to=Stage.INTERVIEWING,
        actor=employer,
        next_step="A tour of the warehouse and a chat with the team.",
        decision_expected_on=dt.date(2030, 1, 15),
    )
    page = client.get(f"/followup/interviews/new/{application.pk}/").content.decode()
    assert 'value="Night Shift Lead"' in page and 'value="Harbor Freight Co-op"' in page
    assert 'value="2030-01-15"' in page and "A tour of the warehouse" in page
    assert 'value="America/Chicago" selected' in page  # the job is in Austin
    assert "job_text" not in page  # the posting's own text is used
    detail = client.get(application.get_absolute_url()).content.decode()
    assert f"/followup/interviews/new/{application.pk}/" in detail  # "Record an interview"


def test_a_time_the_clocks_skip_is_a_clear_error(client: Client, person) -> None:
    response = client.post("/followup/interviews/new/", form_data(date="2025-03-09", time="02:30"))
    page = response.content.decode()
    assert response.status_code == 200 and not Interview.objects.exists()
    assert "doesn&#x27;t exist in America/New York on that day" in page
    assert 'value="Ana Ruiz"' in page and "the new Leeds depot" in page  # nothing lost


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decision_expected_on": "2025-06-01"}, "That&#x27;s before the interview itself."),
        ({"people-0-linkedin_url": "https://evil.example.com/in/x"}, "That isn&#x27;t a LinkedIn"),
        ({"people-1-email": "ana.ruiz@northwind.example.com"}, "Someone above has this address"),
        ({"people-1-name": "", "people-1-email": "x@y.com"}, "This field is required."),
        ({"people-0-phone": "call me maybe"}, "Use digits, spaces"),
        ({"date": "1999-01-01"}, "Pick a date within the last two years"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"date": "not a date"}, "Enter a valid date."),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_rest(
    client: Client, person, changes: dict[str, str], message: str
) -> None:
    response = client.post("/followup/interviews/new/", form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200, page[:500]
    assert message in page
    assert "Logistics Coordinator" in page
    assert not Interview.objects.exists()


def test_a_tampered_people_form_is_not_a_500(client: Client, person) -> None:
    for total in ("abc", "-5", "100000"):
        response = client.post(
            "/followup/interviews/new/", form_data(**{"people-TOTAL_FORMS": total})
        )
        assert response.status_code in (200, 302)
        response = client.post(
            "/followup/interviews/new/",
            {**form_data(**{"people-TOTAL_FORMS": total}), "add_person": "1"},
        )
        assert response.status_code == 200


def test_add_another_person_keeps_everything_typed(client: Client, person) -> None:
    response = client.post("/followup/interviews/new/", {**form_data(), "add_person": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Interview.objects.exists()
    assert "Person 3" in page and 'value="Ben Okafor"' in page and "forklift safety" in page
    assert "Please correct" not in page


def test_a_blank_person_row_is_ignored(client: Client, person) -> None:
    data = form_data(**{"people-TOTAL_FORMS": "3"})
    client.post("/followup/interviews/new/", data)
    assert Interview.objects.get().interviewers.count() == 2


def test_someone_met_again_is_the_same_contact(client: Client, person) -> None:
    client.post("/followup/interviews/new/", form_data())
    client.post(
        "/followup/interviews/new/",
        form_data(
            date="2025-06-20",
            decision_expected_on="",
            **{"people-0-email": "ANA.RUIZ@northwind.example.com"},
        ),
    )
    assert Interview.objects.count() == 2
    assert Contact.objects.filter(owner=person.user).count() == 2
    assert Contact.objects.get(name="Ana Ruiz").meetings.count() == 2


def test_editing_removes_a_person_and_keeps_everyone_elses_steps(client: Client, person) -> None:
    client.post("/followup/interviews/new/", form_data())
    interview = Interview.objects.get()
    ana_steps = set(
        interview.steps.filter(interviewer__contact__name="Ana Ruiz").values_list("pk", flat=True)
    )
    rows = list(interview.interviewers.select_related("contact"))
    data = form_data(
        **{
            "people-INITIAL_FORMS": "2",
            "people-0-interviewer_id": str(rows[0].pk),
            "people-1-interviewer_id": str(rows[1].pk),
            "people-1-DELETE": "on",
        }
    )
    page = client.get(f"/followup/interviews/{interview.pk}/edit/").content.decode()
    assert "Remove this person from the interview" in page
    client.post(f"/followup/interviews/{interview.pk}/edit/", data)
    assert [m.contact.name for m in interview.interviewers.all()] == ["Ana Ruiz"]
    assert (
        set(interview.steps.filter(interviewer__isnull=False).values_list("pk", flat=True))
        == ana_steps
    )
    assert Contact.objects.filter(name="Ben Okafor").exists()  # still in the network


def test_a_date_the_candidate_chose_survives_re_planning(client: Client, person) -> None:
    interview = record(person.user, starts_at=local("America/New_York", 2025, 6, 3, 10))
    step = interview.steps.get(kind="follow_up")
    client.post(f"/followup/steps/{step.pk}/", {"due_on": "2025-06-16", "move": "1"})
    step.refresh_from_db()
    assert step.due_on == dt.date(2025, 6, 16) and step.rescheduled
    actions.update_interview(
        interview=interview,
        facts=actions.Facts(
            company_name="Harbor",
            role="Lead",
            starts_at=local("America/New_York", 2025, 6, 4, 10),
            time_zone="America/New_York",
        ),
        people=[
            actions.Person(**{**ANA.__dict__, "interviewer_id": interview.interviewers.first().pk})
        ],
    )
    step.refresh_from_db()
    assert step.due_on == dt.date(2025, 6, 16)


def test_done_by_htmx_returns_just_the_step(client: Client, person) -> None:
    interview = record(person.user, starts_at=local("America/New_York", 2025, 6, 3, 10))
    step = interview.steps.get(kind="call")
    response = client.post(
        f"/followup/steps/{step.pk}/",
        {"state": "done", "due_on": "2025-06-20"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and "Undo" in html and "<html" not in html
    step.refresh_from_db()
    assert step.state == Step.State.DONE and not step.rescheduled  # the date field was not a move


def test_the_plan_page_reminds_to_ask_about_next_steps_before_the_interview(
    client: Client, person
) -> None:
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    interview = record(
        person.user, starts_at=soon, people=(), tz="UTC", now=soon - dt.timedelta(days=3)
    )
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "What are the next steps, and when do you expect to decide?" in page
    assert "Collect the name, title and email of everyone you meet" in page
