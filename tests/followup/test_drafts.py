"""A personal draft per interviewer from the recorded facts, the checks on it, and sending
it through the site: only on Send, Reply-To the candidate, a copy to them, once."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from mapertunity.followup import actions, drafts
from mapertunity.followup.models import Draft, Step
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .helpers import ANA, BEN, local, record

pytestmark = pytest.mark.django_db

START = local("America/New_York", 2025, 6, 3, 10, 0)
LATER_THAT_DAY = local("America/New_York", 2025, 6, 3, 14, 0)


@pytest.fixture
def person():
    return candidate_with_resume(
        "ada", skills=("Forklift operation", "Inventory control", "Spanish", "Baking")
    )


@pytest.fixture
def interview(person, company):
    job = make_job(
        company,
        description="We need someone strong in **inventory control** who speaks Spanish.",
    )
    application = apply_to(job, person)
    mail.outbox.clear()  # the employer's "new applicant" email
    return record(
        person.user,
        starts_at=START,
        application=application,
        now=LATER_THAT_DAY,
        to_say="I didn't mention that I trained six new starters last year.",
    )


def thank_you_to(interview, name: str) -> Draft:
    return Draft.objects.get(step__interview=interview, step__kind="thank_you", contact__name=name)


def test_each_interviewer_gets_their_own_draft_with_their_name_and_what_you_talked_about(
    interview,
) -> None:
    ana, ben = thank_you_to(interview, "Ana Ruiz"), thank_you_to(interview, "Ben Okafor")
    assert ana.body.startswith("Hi Ana,")
    assert "the new cross-dock in Leeds and her years running night shifts" in ana.body
    assert ben.body.startswith("Hi Ben,")
    assert "the forklift safety programme" in ben.body
    assert "Leeds" not in ben.body
    for draft in (ana, ben):
        assert "Warehouse Lead" in draft.body and "Harbor Freight Co-op" in draft.body
        assert "today" in draft.body  # written the same day
        assert "I didn't mention that I trained six new starters" in draft.body
        assert draft.step.interview.owner.email in draft.body  # contact details
        assert drafts.check(subject=draft.subject, body=draft.body, name=draft.contact.name) == []
        assert drafts.word_count(draft.body) < drafts.MAX_WORDS


def test_strengths_named_by_the_job_come_first(interview) -> None:
    interview.refresh_from_db()
    text = thank_you_to(interview, "Ana Ruiz").body
    assert "Inventory control and Spanish" in text or "Inventory control, Spanish" in text


def test_suggested_strengths_keep_the_candidates_own_capitalisation(company) -> None:
    candidate_with_resume("first-to-type-it", skills=("Inventory Control", "Sql"))
    person = candidate_with_resume("own-spelling", skills=("inventory control", "SQL"))
    job = make_job(company, description="We need someone strong in inventory control.")
    interview = record(
        person.user, starts_at=START, application=apply_to(job, person), now=LATER_THAT_DAY
    )
    text = thank_you_to(interview, "Ana Ruiz").body
    assert "my experience in inventory control and SQL would" in text


def test_strengths_typed_for_the_interview_go_in_as_typed(interview) -> None:
    actions.update_notes(interview=interview, to_say="", strengths="food safety, HACCP, Excel")
    ana = thank_you_to(interview, "Ana Ruiz")
    text = drafts.write(ana.step, ana.contact, now=LATER_THAT_DAY).body
    assert "my experience in food safety, HACCP and Excel would" in text


def test_the_follow_up_step_has_a_draft_for_each_person(interview) -> None:
    follow = interview.steps.get(kind="follow_up")
    names = sorted(d.contact.name for d in follow.drafts.all())
    assert names == ["Ana Ruiz", "Ben Okafor"]
    body = follow.drafts.get(contact__name="Ben Okafor").body
    assert "follow up on my interview" in body and "Tuesday 3 June" in body


def test_a_person_with_nothing_noted_gets_a_placeholder_the_check_flags(person) -> None:
    quiet = actions.Person(name="Cleo Park", email="cleo@example.com")
    interview = record(person.user, starts_at=START, people=(quiet,), now=LATER_THAT_DAY)
    draft = Draft.objects.get(step__interview=interview, step__kind="thank_you")
    assert drafts.GAP in draft.body
    assert drafts.check(subject=draft.subject, body=draft.body, name="Cleo Park") == [
        f"Replace the placeholder “{drafts.GAP}”."
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("Hi ,\n\nThanks for today.\nAna", "The greeting has no name after it."),
        ("Dear\n\nThanks, Ana.", "The greeting has no name after it."),
        ("Thanks for today, Ana.", "It starts without a greeting; open with “Hi …” or “Dear …”."),
        ("Hi there,\n\nThanks for today.", "Ana Ruiz's name isn't in the email."),
        ("Hi Ana,\n\nThanks for [topic].", "Replace the placeholder “[topic]”."),
        ("Hi Ana,\n\nThanks for {{ topics }}.", "Replace the placeholder “{{ topics }}”."),
        ("Hi <name>,\n\nThanks Ana.", "Replace the placeholder “<name>”."),
        ("Hi Ana,\n\nTODO say more.", "Replace the placeholder “TODO”."),
        (
            "Hi Ana,\n\n" + "word " * 201,
            "It runs to 203 words; under 200 is easier to read. Cut a line or two.",
        ),
    ],
)
def test_the_checks_flag_what_a_careful_reader_would_fix(body: str, problem: str) -> None:
    assert problem in drafts.check(subject="Thank you", body=body, name="Ana Ruiz")


def test_an_empty_subject_is_flagged() -> None:
    assert "The subject line is empty." in drafts.check(subject=" ", body="Hi Ana,", name="Ana")


def test_a_linkedin_note_fits_linkedins_limit(interview) -> None:
    step = interview.steps.get(kind="linkedin", interviewer__contact__name="Ana Ruiz")
    note = drafts.linkedin_note(step)
    assert note.startswith("Hi Ana,") and len(note) <= drafts.LINKEDIN_NOTE_MAX


def test_nothing_is_sent_until_the_candidate_presses_send(interview) -> None:
    assert mail.outbox == []


def test_sending_a_draft_goes_from_the_site_reply_to_the_candidate_with_a_copy(
    client: Client, interview, person
) -> None:
    draft = thank_you_to(interview, "Ana Ruiz")
    client.force_login(person.user)
    page = client.get(f"/followup/drafts/{draft.pk}/").content.decode()
    assert "Hi Ana," in page
    response = client.post(
        f"/followup/drafts/{draft.pk}/",
        {
            "intent": "send",
            "to": ANA.email,
            "subject": draft.subject,
            "body": draft.body.replace("Best wishes", "Warm regards"),
        },
    )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == [ANA.email]
    assert sent.cc == [person.user.email] and sent.reply_to == [person.user.email]
    assert "via Mapertunity" in sent.from_email
    assert "Warm regards" in sent.body and "Hi Ana," in sent.body
    draft.refresh_from_db()
    assert draft.sent_at and draft.step.state == Step.State.DONE
    # Pressing Send again (a second tab, a double click) sends nothing more.
    client.post(
        f"/followup/drafts/{draft.pk}/",
        {"intent": "send", "to": ANA.email, "subject": "x", "body": "Hi Ana"},
    )
    with pytest.raises(actions.FollowupError):
        actions.send_draft(draft=draft, to=ANA.email, subject="Again", body="Hi Ana")
    assert len(mail.outbox) == 1


def test_a_draft_with_problems_asks_before_sending_and_keeps_the_text(
    client: Client, interview, person
) -> None:
    draft = thank_you_to(interview, "Ben Okafor")
    client.force_login(person.user)
    body = "Hi ,\n\nThank you for [something].\n"
    response = client.post(
        f"/followup/drafts/{draft.pk}/",
        {"intent": "send", "to": BEN.email, "subject": "Thanks", "body": body},
    )
    page = response.content.decode()
    assert response.status_code == 200 and mail.outbox == []
    assert "The greeting has no name after it." in page and "Send it as it is" in page
    assert "Thank you for [something]." in page  # nothing typed is lost
    client.post(
        f"/followup/drafts/{draft.pk}/",
        {"intent": "send_anyway", "to": BEN.email, "subject": "Thanks", "body": body},
    )
    assert len(mail.outbox) == 1


def test_a_bad_address_is_a_clear_error_not_a_500(client: Client, interview, person) -> None:
    draft = thank_you_to(interview, "Ben Okafor")
    client.force_login(person.user)
    response = client.post(
        f"/followup/drafts/{draft.pk}/",
        {"intent": "send", "to": "ben at harbor", "subject": "Hi", "body": draft.body},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_an_unconfirmed_address_cannot_send_through_the_site(interview, person) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=person.user).update(verified=False)
    draft = thank_you_to(interview, "Ben Okafor")
    with pytest.raises(actions.FollowupError, match="Confirm your own email"):
        actions.send_draft(draft=draft, to=BEN.email, subject="Thanks", body=draft.body)


def test_editing_keeps_the_candidates_words_when_the_facts_change(interview) -> None:
    draft = thank_you_to(interview, "Ana Ruiz")
    actions.save_draft(draft=draft, subject="Thank you!", body="Hi Ana,\n\nMy own words.\n")
    untouched = thank_you_to(interview, "Ben Okafor")
    actions.update_notes(
        interview=interview, to_say="One more thing: I can start in July.", strengths=""
    )
    draft.refresh_from_db()
    untouched.refresh_from_db()
    assert draft.body == "Hi Ana,\n\nMy own words."
    assert "I can start in July." in untouched.body
    actions.reset_draft(draft=draft)
    assert "I can start in July." in draft.body and not draft.edited


def test_a_draft_written_days_later_says_when(interview) -> None:
    step = interview.steps.get(kind="thank_you", interviewer__contact__name="Ana Ruiz")
    contact = step.interviewer.contact
    later = START + dt.timedelta(days=1, hours=3)
    assert (
        "meeting me yesterday"
        in drafts.write(step, contact, now=later, time_zone="America/New_York").body
    )
