import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.helpers import make_job

pytestmark = pytest.mark.django_db

JOB = {
    "title": "Bike Mechanic",
    "description": "Fix bikes. Talk to riders.",
    "place": "Portland, OR",
    "workplace": "onsite",
    "employment_type": "part_time",
    "salary_min": "24",
    "salary_max": "31",
    "salary_currency": "USD",
    "salary_period": "hour",
}


def test_a_new_employer_signs_up_confirms_posts_is_reviewed_and_is_on_the_map(
    client: Client, staff
) -> None:
    start = client.get("/employers/start/")
    assert start.status_code == 302 and "/accounts/signup/" in start["Location"]

    response = client.post(
        "/accounts/signup/?next=/employers/start/",
        {
            "email": "owner@spokes.example.com",
            "password1": "a-long-pass-1",
            "password2": "a-long-pass-1",
            "next": "/employers/start/",
        },
    )
    assert response["Location"] == "/accounts/confirm-email/"  # "check your inbox"
    assert len(mail.outbox) == 1  # the address confirmation
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    # Confirming in this browser signs in and goes on where the sign-up was headed.
    assert client.post(urlsplit(link.group(0)).path)["Location"] == "/employers/start/"
    response = client.get("/employers/start/")
    assert response["Location"] == "/employers/company/new/"

    response = client.post(
        "/employers/company/new/",
        {
            "name": "Spokes & Sprockets",
            "website": "https://spokes.example.com",
            "description": "A bike shop.",
            "headquarters": "Portland, OR",
        },
    )
    assert response["Location"] == "/employers/jobs/new/"
    company = Company.objects.get(name="Spokes & Sprockets")
    assert company.slug == "spokes-sprockets" and company.hq_city == "Portland"

    client.post("/employers/jobs/new/", {**JOB, "publish": "1"})
    job = Job.objects.get(title="Bike Mechanic")
    assert job.status == Job.Status.PENDING  # a new employer's first posting is reviewed
    assert "First posting of a new employer" in job.review_reasons
    assert (
        client.get("/api/v1/map/jobs", {"bbox": "-123,45,-122,46", "zoom": 14}).json()["total"] == 0
    )

    client.force_login(staff)
    client.post(f"/admin/moderation/jobreview/{job.pk}/change/", {"decision": "approve"})
    job.refresh_from_db()
    assert job.is_live and job.company == company

    data = client.get("/api/v1/map/jobs", {"bbox": "-123,45,-122,46", "zoom": 14}).json()
    assert data["total"] == 1
    assert data["features"][0]["properties"]["pay"] == "$24–$31 per hour"
    assert "Bike Mechanic" in client.get("/jobs/").content.decode()
    assert "is live on the map" in mail.outbox[-1].subject  # the employer hears at once


def test_a_bad_job_form_is_shown_again_with_everything_typed(client: Client, employer) -> None:
    client.force_login(employer)
    response = client.post("/employers/jobs/new/", {**JOB, "salary_min": "", "publish": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "every job on Mapertunity shows its pay" in html
    assert 'value="Bike Mechanic"' in html and "Fix bikes. Talk to riders." in html
    assert not Job.objects.exists()


def test_saving_a_draft_keeps_it_off_the_map_until_published(client: Client, employer) -> None:
    client.force_login(employer)
    client.post("/employers/jobs/new/", {**JOB, "draft": "1"})
    job = Job.objects.get()
    assert job.status == Job.Status.DRAFT and not Job.objects.published().exists()
    client.post(f"/employers/jobs/{job.pk}/publish/")
    assert Job.objects.published().get() == job


def test_an_employer_edits_and_closes_their_own_job(client: Client, employer, company) -> None:
    job = make_job(company)
    client.force_login(employer)
    assert client.get(f"/employers/jobs/{job.pk}/edit/").status_code == 200
    response = client.post(f"/employers/jobs/{job.pk}/edit/", {**JOB, "title": "Senior Mechanic"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Senior Mechanic" and job.is_live
    client.post(f"/employers/jobs/{job.pk}/close/")
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    assert (
        client.get("/api/v1/map/jobs", {"bbox": "-180,-85,180,85", "zoom": 2}).json()["total"] == 0
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/employers/jobs/{pk}/edit/"),
        ("post", "/employers/jobs/{pk}/edit/"),
        ("post", "/employers/jobs/{pk}/close/"),
        ("post", "/employers/jobs/{pk}/publish/"),
    ],
)
def test_another_employer_gets_404_on_someone_elses_job(
    client: Client, company, other_employer, method: str, path: str
) -> None:
    job = make_job(company, status=Job.Status.DRAFT)
    client.force_login(other_employer)
    response = getattr(client, method)(path.format(pk=job.pk), JOB if method == "post" else None)
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.DRAFT and job.title == "Warehouse Lead"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, company) -> None:
    job = make_job(company)
    for path in ["/employers/", "/employers/jobs/new/", f"/employers/jobs/{job.pk}/edit/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_without_a_company_is_asked_to_create_one(client: Client, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/employers/jobs/new/")["Location"] == "/employers/company/new/"


def test_the_dashboard_lists_only_my_jobs(
    client: Client, employer, company, other_employer
) -> None:
    make_job(company, title="Mine")
    make_job(Company.objects.for_user(other_employer).get(), title="Theirs")
    client.force_login(employer)
    html = client.get("/employers/").content.decode()
    assert "Mine" in html and "Theirs" not in html


def test_an_unknown_company_place_is_a_form_error(client: Client, outsider) -> None:
    client.force_login(outsider)
    response = client.post(
        "/employers/company/new/", {"name": "Nowhere Inc", "headquarters": "Zzqxville"}
    )
    assert response.status_code == 200
    assert (
        "couldn&#x27;t find" in response.content.decode()
        or "couldn't find" in response.content.decode()
    )
    assert not Company.objects.filter(name="Nowhere Inc").exists()
