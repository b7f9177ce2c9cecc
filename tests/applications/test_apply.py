"""Applying in one step: the profile, a resume, the answers and a note, once per job."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from mapertunity.applications import actions
from mapertunity.applications.models import Application, Conversation, StageEvent
from mapertunity.jobs.models import Job
from tests.candidates.files import make_docx
from tests.helpers import make_job

from .helpers import apply_to, candidate_with_resume, question

pytestmark = pytest.mark.django_db


def test_a_candidate_applies_with_profile_resume_answers_and_note(
    client: Client, company, employer
) -> None:
    job = make_job(company)
    forklift = question(job, "Do you hold a forklift licence?", kind="yes_no")
    years = question(job, "Years in a warehouse", kind="number")
    person = candidate_with_resume()
    client.force_login(person.user)
    page = client.get(f"/jobs/{job.pk}/apply/")
    assert "Do you hold a forklift licence?" in page.content.decode()
    response = client.post(
        f"/jobs/{job.pk}/apply/",
        {
            "resume_choice": "profile",
            "cover_note": "I ran the night shift at a depot for three years.",
            f"q{forklift.pk}": "yes",
            f"q{years.pk}": "3",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.stage == "applied" and application.candidate == person
    assert application.resume_file and "Forklift" in application.resume_text
    assert dict(application.answers.values_list("question__text", "value")) == {
        "Do you hold a forklift licence?": "yes",
        "Years in a warehouse": "3",
    }
    assert list(application.events.values_list("stage", "by_employer")) == [("applied", False)]
    assert Conversation.objects.get().application == application
    [notice] = mail.outbox
    assert notice.to == [employer.email] and person.user.display_name in notice.subject


def test_another_upload_is_checked_like_a_resume(client: Client, company) -> None:
    job = make_job(company)
    person = candidate_with_resume()
    client.force_login(person.user)
    bad = client.post(
        f"/jobs/{job.pk}/apply/",
        {
            "resume_choice": "upload",
            "resume": make_docx("x", name="cv.pdf"),
            "cover_note": "Keep me",
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "named .pdf but" in html and "Keep me" in html
    assert not Application.objects.exists()
    good = client.post(
        f"/jobs/{job.pk}/apply/",
        {"resume_choice": "upload", "resume": make_docx("Welding, TIG", name="cv.docx")},
    )
    assert good.status_code == 302
    assert Application.objects.get().resume_kind == "docx"


def test_one_application_per_candidate_and_job(client: Client, company) -> None:
    job = make_job(company)
    person = candidate_with_resume()
    apply_to(job, person)
    with pytest.raises(actions.ApplyError, match="already applied"):
        apply_to(job, person)
    client.force_login(person.user)
    response = client.get(f"/jobs/{job.pk}/apply/")
    assert response.status_code == 302 and "/applications/" in response["Location"]
    assert Application.objects.count() == 1


def test_a_closed_or_expired_job_refuses_applications_clearly(client: Client, company) -> None:
    job = make_job(company)
    person = candidate_with_resume()
    actions_job = Job.objects.get(pk=job.pk)
    actions_job.close()
    with pytest.raises(actions.ApplyError, match="no longer taking applications"):
        apply_to(actions_job, person)
    client.force_login(person.user)
    page = client.get(f"/jobs/{job.pk}/apply/")
    assert page.status_code == 410 and "no longer taking applications" in page.content.decode()


def test_a_required_question_must_be_answered(client: Client, company) -> None:
    job = make_job(company)
    q = question(job, "Can you start in May?", kind="yes_no")
    person = candidate_with_resume()
    client.force_login(person.user)
    page = client.post(f"/jobs/{job.pk}/apply/", {"resume_choice": "profile", "cover_note": "Hi"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    with pytest.raises(actions.ApplyError, match="Can you start in May"):
        apply_to(job, person, answers={q.pk: ""})


def test_an_anonymous_visitor_signs_up_and_lands_back_on_the_filled_form(
    client: Client, company
) -> None:
    job = make_job(company)
    q = question(job, "Earliest start date", required=False)
    apply_url = f"/jobs/{job.pk}/apply/"
    response = client.post(
        apply_url, {"cover_note": "I live two streets away.", f"q{q.pk}": "June"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/apply/join/")
    join = client.get(response["Location"]).content.decode()
    signup_link = re.search(r'href="(/signup/\?next=[^"]+)"', join)[1]
    client.get(signup_link.replace("&amp;", "&"))
    client.post("/signup/name/", {"first_name": "Noor", "last_name": "Haddad"})
    client.post("/signup/id/", {"handle": "noor-haddad"})
    client.post(
        "/signup/contact/",
        {
            "email": "noor@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "phone": "",
            "home": "Austin, TX",
        },
    )
    # Confirming the address, in this browser, signs in and carries on with the signup.
    link = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    assert client.post(link)["Location"] == "/signup/"
    client.post(
        "/signup/about/",
        {"headline": "Warehouse picker", "desired_currency": "USD", "desired_period": "year"},
    )
    done = client.post("/signup/resume/", {"skip": "1"})
    assert done["Location"] == apply_url
    form = client.get(apply_url).content.decode()
    assert "I live two streets away." in form and 'value="June"' in form
    assert (
        client.post(
            apply_url, {"resume_choice": "none", "cover_note": "I live two streets away."}
        ).status_code
        == 302
    )
    assert Application.objects.get().cover_note == "I live two streets away."


def test_job_pages_say_they_take_applications_here(client: Client, company) -> None:
    job = make_job(company)
    html = client.get(job.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["directApply"] is True
    assert f"/jobs/{job.pk}/apply/" in html


def test_the_stage_history_is_append_only() -> None:
    application = apply_to(make_job())
    event = application.events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert StageEvent.objects.get().note == ""


def test_yes_or_no_answers_read_as_words_for_both_sides() -> None:
    from mapertunity.applications.models import Answer, ScreeningQuestion

    yes_no = ScreeningQuestion(kind=ScreeningQuestion.Kind.YES_NO, text="Can you lift 20 kg?")
    assert Answer(question=yes_no, value="yes").shown == "Yes"
    assert Answer(question=yes_no, value="no").shown == "No"
    text = ScreeningQuestion(kind=ScreeningQuestion.Kind.TEXT, text="Why us?")
    assert Answer(question=text, value="yes").shown == "yes"


def test_without_a_profile_resume_the_form_starts_at_no_resume_not_at_an_upload() -> None:
    from mapertunity.applications.forms import ApplyForm

    form = ApplyForm(questions=[], has_profile_resume=False)
    field = form.fields["resume_choice"]
    assert [label for _, label in field.choices] == ["Upload a resume", "No resume"]
    assert field.initial == ApplyForm.RESUME_NONE
    assert ApplyForm(questions=[], has_profile_resume=True).fields["resume_choice"].initial == (
        ApplyForm.RESUME_PROFILE
    )
