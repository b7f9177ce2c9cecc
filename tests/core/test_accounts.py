import pytest
from django.core import mail
from django.test import Client

from tests.helpers import make_job, with_mfa

pytestmark = pytest.mark.django_db


def test_a_password_reset_email_is_sent_to_a_known_address(client: Client, employer) -> None:
    response = client.post("/accounts/password/reset/", {"email": employer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_signing_in_with_email_works(client: Client, employer) -> None:
    response = client.post(
        "/accounts/login/", {"login": employer.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/employers/"  # an employer lands on their jobs
    assert "Your jobs" in client.get("/").content.decode()


def test_the_admin_lists_jobs_and_companies_for_staff(client: Client, admin_user) -> None:
    client.force_login(with_mfa(admin_user))  # staff open the admin with two-factor set up
    admin_client = client
    job = make_job(title="Harbour Crane Operator")
    jobs = admin_client.get("/admin/jobs/job/")
    assert jobs.status_code == 200 and "Harbour Crane Operator" in jobs.content.decode()
    companies = admin_client.get("/admin/companies/company/")
    assert companies.status_code == 200 and job.company.name in companies.content.decode()


def test_account_emails_speak_as_mapertunity_not_the_host(client: Client, employer) -> None:
    client.post("/accounts/password/reset/", {"email": employer.email})
    body = mail.outbox[0].body
    assert body.startswith("Hello from Mapertunity,")
    assert "testserver" not in body.splitlines()[0]
