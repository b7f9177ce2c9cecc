"""An applicant-tracking system lists the company's applications and moves their stages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mapertunity.applications.models import Application, StageEvent
from mapertunity.companies.models import Company
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_job

from .conftest import bearer

pytestmark = pytest.mark.django_db
LIST = "/api/v1/employer/applications"


@pytest.fixture
def applications(company: Company) -> list[Application]:
    job = make_job(company, title="Night Baker")
    return [apply_to(job, candidate_with_resume()) for _ in range(3)]


def test_the_employer_lists_applications_page_by_page(
    client: Client, write_token: str, applications: list[Application]
) -> None:
    apply_to(make_job(title="Someone else's job"), candidate_with_resume())
    first = client.get(LIST, {"limit": 2}, **bearer(write_token)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(LIST, {"limit": 2, "cursor": first["next_cursor"]}, **bearer(write_token))
    ids = {a["id"] for a in first["items"] + second.json()["items"]}
    assert ids == {str(a.pk) for a in applications}
    assert second.json()["next_cursor"] is None
    item = first["items"][0]
    assert item["job_title"] == "Night Baker" and item["stage"] == "applied"
    assert item["can_move_to"] == ["reviewing", "interviewing", "not_selected"]
    assert "@people.example.org" in item["candidate"]["email"]


def test_moving_a_stage_records_it_and_tells_the_candidate(
    client: Client, write_token: str, applications: list[Application], employer
) -> None:
    application = applications[0]
    mail.outbox.clear()
    response = client.post(
        f"{LIST}/{application.pk}/stage",
        {"to": "interviewing", "note": "Can you come in on Tuesday?"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "interviewing"
    event = StageEvent.objects.filter(application=application).latest("created_at")
    assert (event.stage, event.actor, event.by_employer) == ("interviewing", employer, True)
    assert [m.to for m in mail.outbox] == [[application.candidate.user.email]]
    refused = client.post(
        f"{LIST}/{application.pk}/stage",
        {"to": "interviewing"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert refused.status_code == 409 and "can't move" in refused.json()["detail"]


def test_filters_by_job_and_stage(
    client: Client, write_token: str, applications: list[Application], company: Company
) -> None:
    other = apply_to(make_job(company, title="Driver"), candidate_with_resume())
    only = client.get(LIST, {"job_id": other.job_id}, **bearer(write_token)).json()["items"]
    assert [a["id"] for a in only] == [str(other.pk)]
    assert client.get(LIST, {"stage": "hired"}, **bearer(write_token)).json()["items"] == []


def test_a_null_character_in_a_note_is_a_400(
    client: Client, write_token: str, applications: list[Application]
) -> None:
    response = client.post(
        f"{LIST}/{applications[0].pk}/stage",
        {"to": "interviewing", "note": "See you\x00 Tuesday"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"note": ["Null characters are not allowed."]}
