"""Companies prove their website's domain by an email to an address there (or staff
vouch for them); verified companies carry a badge."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from tests.helpers import make_job

pytestmark = pytest.mark.django_db


def test_a_link_to_an_address_at_the_domain_verifies_the_company(
    client: Client, new_employer: User
) -> None:
    company = Company.objects.for_user(new_employer).get()
    assert not company.is_verified
    client.force_login(new_employer)
    page = client.get("/employers/company/verify/").content.decode()
    assert "corner-bakery.example.net" in page
    response = client.post(
        "/employers/company/verify/", {"email": "office@corner-bakery.example.net"}
    )
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["office@corner-bakery.example.net"]
    link = re.search(r"https?://\S+/employers/company/verify/\S+/", email.body)
    assert link is not None
    path = link.group(0).split("//", 1)[1].split("/", 1)[1]
    client.logout()  # whoever reads that inbox confirms; no account needed
    confirm = client.get(f"/{path}")
    assert "Yes, confirm corner-bakery.example.net" in confirm.content.decode()
    company.refresh_from_db()
    assert not company.is_verified  # opening the link changes nothing: mail scanners do
    client.post(f"/{path}")
    company.refresh_from_db()
    assert company.is_verified and company.verified_domain == "corner-bakery.example.net"


def test_an_address_at_another_domain_or_webmail_is_refused(
    client: Client, new_employer: User
) -> None:
    client.force_login(new_employer)
    for address in ["me@gmail.com", "me@other.example.net"]:
        response = client.post("/employers/company/verify/", {"email": address})
        assert "Use an address at corner-bakery.example.net" in response.content.decode()
    assert mail.outbox == []


def test_a_webmail_website_cannot_verify_a_company(client: Client, new_employer: User) -> None:
    Company.objects.filter(memberships__user=new_employer).update(website="https://gmail.com")
    client.force_login(new_employer)
    assert "gives addresses to anyone" in client.get("/employers/company/verify/").content.decode()


def test_a_forged_link_does_nothing(client: Client) -> None:
    response = client.post("/employers/company/verify/not-a-real-token/")
    assert response.status_code == 400
    assert not Company.objects.verified().exists()


def test_a_confirmed_work_address_verifies_in_one_press(client: Client) -> None:
    from tests.helpers import make_company, verify_email

    user = User.objects.create_user("ana@tallow.example.com", "correct-horse-battery")
    verify_email(user)
    company = make_company(owner=user, name="Tallow", website="https://www.tallow.example.com")
    client.force_login(user)
    page = client.get("/employers/company/verify/").content.decode()
    assert "Verify with ana@tallow.example.com" in page
    client.post("/employers/company/verify/", {"use_account": "1"})
    company.refresh_from_db()
    assert company.verified_domain == "tallow.example.com"


def test_moving_the_website_to_another_domain_takes_the_verification_away(
    client: Client, employer: User
) -> None:
    client.force_login(employer)
    client.post(
        "/employers/company/edit/",
        {"name": "Harbor Freight Co-op", "website": "https://somewhere-else.example.org"},
    )
    company = Company.objects.for_user(employer).get()
    assert not company.is_verified and company.verified_domain == ""


def test_staff_verify_a_company_from_the_admin(client: Client, staff: User, new_employer) -> None:
    company = Company.objects.for_user(new_employer).get()
    client.force_login(staff)
    client.post(
        "/admin/companies/company/",
        {"action": "verify_by_staff", "_selected_action": [company.pk]},
    )
    company.refresh_from_db()
    assert company.is_verified and company.verified_label == "Verified by staff"


def test_verified_companies_carry_a_badge_on_their_jobs(client: Client, company) -> None:
    job = make_job(company)
    assert "badge-verified" in client.get(job.get_absolute_url()).content.decode()
    assert "badge-verified" in client.get("/jobs/").content.decode()
    plain = make_job(title="Unverified Role")
    assert "badge-verified" not in client.get(plain.get_absolute_url()).content.decode()
