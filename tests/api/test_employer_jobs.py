"""An applicant-tracking system posts, changes, publishes and closes jobs with a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.api.actions import create_token
from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.helpers import make_job

from .conftest import bearer

pytestmark = pytest.mark.django_db
JOBS = "/api/v1/employer/jobs"
POSTING: dict[str, Any] = {
    "title": "Forklift Operator",
    "description": "Move pallets on the **day shift**; forklift licence needed.",
    "place": "Austin, TX",
    "salary_min": "42000",
    "salary_max": "52000",
    "salary_currency": "USD",
    "salary_period": "year",
    "employment_type": "full_time",
}


def post(client: Client, path: str, token: str, body: dict | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json", **bearer(token))


def test_an_employer_posts_and_closes_a_job_with_a_token(
    client: Client, write_token: str, company: Company
) -> None:
    created = post(client, JOBS, write_token, {**POSTING, "publish": True})
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["status"] == "published"  # an established company, and the screen passes it
    assert job["place"]["city"] == "Austin" and job["pay"]["min"] == 42000
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 200
    assert Job.objects.get(pk=job["id"]).company == company

    closed = post(client, f"{JOBS}/{job['id']}/close", write_token)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 404
    assert client.get(Job.objects.get(pk=job["id"]).get_absolute_url()).status_code == 410
    again = post(client, f"{JOBS}/{job['id']}/close", write_token)
    assert again.status_code == 409 and "already closed" in again.json()["detail"]


def test_a_draft_is_published_through_submit(client: Client, write_token: str) -> None:
    draft = post(client, JOBS, write_token, POSTING).json()
    assert draft["status"] == "draft"
    assert client.get(f"/api/v1/jobs/{draft['id']}").status_code == 404
    published = post(client, f"{JOBS}/{draft['id']}/publish", write_token)
    assert published.json()["status"] == "published"
    twice = post(client, f"{JOBS}/{draft['id']}/publish", write_token)
    assert twice.status_code == 409 and "renew" in twice.json()["detail"]


def test_a_new_employers_first_posting_waits_for_review(client: Client, new_employer: User) -> None:
    company = Company.objects.for_user(new_employer).get()
    _, token = create_token(user=new_employer, company=company, name="ATS", scope="write")
    job = post(client, JOBS, token, {**POSTING, "publish": True}).json()
    assert job["status"] == "pending"
    assert "First posting of a new employer" in Job.objects.get(pk=job["id"]).review_reasons


def test_the_scam_screen_holds_a_posting_sent_through_the_api(
    client: Client, write_token: str
) -> None:
    scam = {
        **POSTING,
        "title": "Package Reshipper",
        "description": "Pay a refundable deposit of $50 for your starter kit, then send us "
        "your bank account and card details. Contact us on Telegram only.",
        "publish": True,
    }
    job = post(client, JOBS, write_token, scam).json()
    assert job["status"] == "pending"


def test_an_unconfirmed_email_cant_publish(client: Client, unverified_employer: User) -> None:
    company = Company.objects.for_user(unverified_employer).get()
    _, token = create_token(user=unverified_employer, company=company, name="ATS", scope="write")
    answer = post(client, JOBS, token, {**POSTING, "publish": True})
    assert answer.status_code == 403
    assert "Confirm your email address" in answer.json()["detail"]
    assert Job.objects.get(company=company).status == Job.Status.DRAFT  # the draft is kept


def test_field_errors_name_the_field(client: Client, write_token: str) -> None:
    answer = post(
        client,
        JOBS,
        write_token,
        {**POSTING, "place": "Atlantis", "salary_min": "90000", "salary_max": "10"},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert set(body["errors"]) == {"salary_max"}  # pay is checked before the place
    answer = post(client, JOBS, write_token, {**POSTING, "place": "Qqzzx Nowhereville"})
    assert answer.status_code == 400 and "Qqzzx" in answer.json()["errors"]["place"][0]
    answer = post(client, JOBS, write_token, {**POSTING, "title": "x" * 121})
    assert answer.status_code == 400 and "title" in answer.json()["errors"]
    assert isinstance(answer.json()["detail"], str)
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "\x1f", "Write something besides spaces"),  # a unit separator
        ("description", "Day shift\x00", "no null characters"),
        ("title", " \u3000ab\u2028", "at least 3 characters"),
        ("street_address", "1 Main St\x00", "Null characters are not allowed."),
    ],
)
def test_text_the_sites_form_refuses_is_a_400_the_schema_documents(
    client: Client, write_token: str, field: str, value: str, message: str
) -> None:
    """Blank is what Python strips (as the form does), spelled out in the pattern so that a
    client's ECMA-262 regex agrees; a null is refused (PostgreSQL can't store it)."""
    answer = post(client, JOBS, write_token, {**POSTING, field: value})
    assert answer.status_code == 400, answer.content
    assert message in answer.json()["errors"][field][0]
    assert not Job.objects.exists()


def test_a_title_is_the_forms_three_characters_and_keeps_other_text(
    client: Client, write_token: str
) -> None:
    answer = post(
        client, JOBS, write_token, {**POSTING, "title": " C#  Dev ", "description": "\ufeffHi"}
    )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["title"], answer.json()["description"]) == ("C# Dev", "\ufeffHi")


def test_a_remote_job_needs_countries(client: Client, write_token: str) -> None:
    answer = post(client, JOBS, write_token, {**POSTING, "workplace": "remote"})
    assert answer.status_code == 400 and "remote_countries" in answer.json()["errors"]
    answer = post(
        client, JOBS, write_token, {**POSTING, "workplace": "remote", "remote_countries": ["de"]}
    )
    assert answer.status_code == 201 and answer.json()["remote_countries"] == ["DE"]


def test_a_patch_changes_only_the_fields_given(client: Client, write_token: str) -> None:
    job = post(client, JOBS, write_token, {**POSTING, "publish": True}).json()
    answer = client.patch(
        f"{JOBS}/{job['id']}",
        {"title": "Senior Forklift Operator"},
        content_type="application/json",
        **bearer(write_token),
    )
    assert answer.status_code == 200, answer.content
    changed = answer.json()
    assert changed["title"] == "Senior Forklift Operator"
    assert changed["place"] == job["place"] and changed["pay"] == job["pay"]
    assert changed["status"] == "published"


def test_the_employer_lists_their_jobs_page_by_page(
    client: Client, write_token: str, company: Company
) -> None:
    ids = {make_job(company, title=f"Job {i}").pk for i in range(5)}
    make_job(title="Someone else's")
    seen: list[int] = []
    cursor = ""
    while True:
        page = client.get(JOBS, {"limit": 2, "cursor": cursor}, **bearer(write_token)).json()
        seen += [j["id"] for j in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)
    bad = client.get(JOBS, {"cursor": "forged"}, **bearer(write_token))
    assert bad.status_code == 400 and "cursor" in bad.json()["errors"]
