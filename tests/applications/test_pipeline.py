"""The employer's pipeline: one-click moves with a history, filters, notes, contacts."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mapertunity.applications import actions
from mapertunity.applications.models import Application
from mapertunity.applications.stages import ATS_DISPOSITION, Stage
from tests.candidates.files import make_pdf
from tests.helpers import make_candidate, make_job

from .helpers import apply_to, candidate_with_resume, question

pytestmark = pytest.mark.django_db


def move(client: Client, application: Application, to: str, **extra: str):
    return client.post(f"/employers/applicants/{application.pk}/move/", {"to": to, **extra})


def test_moving_a_stage_is_one_click_recorded_and_emailed(
    client: Client, employer, company
) -> None:
    application = apply_to(make_job(company))
    mail.outbox.clear()
    client.force_login(employer)
    assert move(client, application, "reviewing").status_code == 302
    tomorrow = timezone.localdate() + dt.timedelta(days=10)
    move(
        client,
        application,
        "interviewing",
        next_step="A video call with Dana",
        decision_expected_on=tomorrow.isoformat(),
    )
    application.refresh_from_db()
    assert application.stage == "interviewing"
    assert application.next_step == "A video call with Dana"
    assert application.decision_expected_on == tomorrow
    events = list(application.events.values_list("stage", "actor", "by_employer"))
    assert events[1:] == [("reviewing", employer.pk, True), ("interviewing", employer.pk, True)]
    assert [m.subject for m in mail.outbox] == [
        "Harbor Freight Co-op is reviewing your application",
        "Harbor Freight Co-op would like to interview you",
    ]
    assert "A video call with Dana" in mail.outbox[1].body


def test_a_move_the_pipeline_does_not_allow_is_refused(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    with pytest.raises(actions.PipelineError):
        actions.move(application=application, to=Stage.HIRED, actor=employer)
    actions.withdraw(application=application)
    with pytest.raises(actions.PipelineError):
        actions.move(application=application, to=Stage.REVIEWING, actor=employer)
    client.force_login(employer)
    move(client, application, "reviewing")
    application.refresh_from_db()
    assert application.stage == "withdrawn"


def test_a_stale_second_click_cannot_move_it_twice(employer, company) -> None:
    application = apply_to(make_job(company))
    stale = Application.objects.get(pk=application.pk)
    actions.move(application=application, to=Stage.REVIEWING, actor=employer)
    with pytest.raises(actions.PipelineError, match="changed this application"):
        actions.move(application=stale, to=Stage.REVIEWING, actor=employer)
    assert application.events.filter(stage="reviewing").count() == 1


def test_not_selected_sends_the_kind_editable_message(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    client.force_login(employer)
    page = client.get(application.get_employer_url()).content.decode()
    assert "Thank you for applying for Warehouse Lead" in page
    mail.outbox.clear()
    move(client, application, "not_selected", note="Thank you, Sam. We chose someone local.")
    assert mail.outbox[0].subject == "An update on your application to Harbor Freight Co-op"
    assert "We chose someone local." in mail.outbox[0].body
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers  # a decision always arrives


def test_the_board_moves_by_htmx_and_lists_by_stage(client: Client, employer, company) -> None:
    job = make_job(company)
    first, second = apply_to(job), apply_to(job)
    client.force_login(employer)
    board = client.get(f"/employers/jobs/{job.pk}/applicants/").content.decode()
    assert first.candidate.user.display_name in board and "Applied" in board
    response = client.post(
        f"/employers/applicants/{first.pk}/move/",
        {"to": "reviewing", "back": "pipeline", "query": "view=list"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    html = response.content.decode()
    assert "<html" not in html and "<table" in html  # the list fragment, as it was shown
    assert Application.objects.get(pk=first.pk).stage == "reviewing"
    reviewing = client.get(
        f"/employers/jobs/{job.pk}/applicants/", {"stage": "reviewing"}
    ).content.decode()
    assert first.candidate.user.display_name in reviewing
    assert second.candidate.user.display_name not in reviewing


def test_applicants_are_filtered_by_answer_skill_and_stemmed_resume_words(
    client: Client, employer, company
) -> None:
    job = make_job(company)
    licence = question(job, "Forklift licence?", kind="yes_no")
    nurse = make_candidate(skills=("Triage",))
    from mapertunity.candidates.actions import upload_resume

    upload_resume(profile=nurse, upload=make_pdf("Twelve years nursing in emergency care"))
    nurse.refresh_from_db()
    driver = candidate_with_resume(skills=("Forklift",))
    a_nurse = apply_to(job, nurse, answers={licence.pk: "no"})
    a_driver = apply_to(job, driver, answers={licence.pk: "yes"})
    client.force_login(employer)

    def shown(**params: str) -> set[str]:
        html = client.get(
            f"/employers/jobs/{job.pk}/applicants/", {"view": "list", **params}
        ).content.decode()
        return {str(a.pk) for a in (a_nurse, a_driver) if a.get_employer_url() in html}

    assert shown(q="nurses") == {str(a_nurse.pk)}  # stemmed, like the job search
    assert shown(q="forklift") == {str(a_driver.pk)}
    assert shown(skills="triage") == {str(a_nurse.pk)}
    assert shown(answer=f"{licence.pk}:yes") == {str(a_driver.pk)}
    assert shown() == {str(a_nurse.pk), str(a_driver.pk)}


def test_notes_are_private_and_contacts_go_only_to_employers_applied_to(
    client: Client, employer, company, other_employer
) -> None:
    person = candidate_with_resume(phone="+1 512 555 0147")
    application = apply_to(make_job(company), person)
    client.force_login(employer)
    client.post(f"/employers/applicants/{application.pk}/notes/", {"text": "Strong on safety."})
    page = client.get(application.get_employer_url()).content.decode()
    assert "Strong on safety." in page and person.user.email in page and "+1 512 555 0147" in page
    client.force_login(person.user)
    mine = client.get(application.get_absolute_url()).content.decode()
    assert "Strong on safety." not in mine
    client.force_login(other_employer)
    profile = client.get(person.get_absolute_url()).content.decode()
    assert person.user.email not in profile and "555 0147" not in profile


def test_every_stage_maps_to_an_ats_disposition() -> None:
    assert set(ATS_DISPOSITION) == set(Stage.values)
    assert set(ATS_DISPOSITION.values()) <= {
        "new",
        "contacted",
        "interviewed",
        "offered",
        "hired",
        "rejected",
    }


def test_the_dashboard_counts_applicants_per_job(client: Client, employer, company) -> None:
    job = make_job(company, title="Night Baker")
    apply_to(job)
    apply_to(job)
    client.force_login(employer)
    html = client.get("/employers/").content.decode()
    assert f'href="/employers/jobs/{job.pk}/applicants/">2<' in html
