"""A company name that reads like another company's is refused, unless the person proves
they belong to that organisation; near misses of verified companies are held."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from mapertunity.jobs import actions as jobs
from mapertunity.jobs.models import Job
from tests.helpers import make_company, verify_email

pytestmark = pytest.mark.django_db


def person(email: str) -> User:
    user = User.objects.create_user(email, "correct-horse-battery")
    verify_email(user)
    return user


def outfitter() -> Company:
    return make_company(
        name="Harbor & Pine Outfitters",
        website="https://harborpine.example.com",
        verified_domain="harborpine.example.com",
        domain_verified_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "name", ["Harbor & Pine Outfitters", "HARBOR AND PINE OUTFITTERS", "harbor-&-pine, outfitters."]
)
def test_a_name_that_reads_like_another_companys_is_refused(client: Client, name: str) -> None:
    outfitter()
    client.force_login(person("someone@elsewhere.example.org"))
    response = client.post("/employers/company/new/", {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is already on Mapertunity" in html and "harborpine.example.com" in html
    assert Company.objects.count() == 1


def test_the_same_organisation_by_its_verified_domain_may_use_the_name(client: Client) -> None:
    outfitter()
    colleague = person("maria@harborpine.example.com")
    client.force_login(colleague)
    response = client.post(
        "/employers/company/new/",
        {"name": "Harbor & Pine Outfitters", "website": "https://harborpine.example.com"},
    )
    assert response.status_code == 302
    mine = Company.objects.for_user(colleague).get()
    assert mine.is_verified and mine.verified_domain == "harborpine.example.com"


def test_a_sibling_host_on_a_shared_domain_is_not_the_same_organisation(client: Client) -> None:
    outfitter()
    client.force_login(person("boss@other-shop.example.com"))
    client.post("/employers/company/new/", {"name": "Harbor and Pine Outfitters"})
    assert Company.objects.count() == 1


def test_renaming_a_company_into_another_ones_name_is_refused(client: Client, employer) -> None:
    outfitter()
    client.force_login(employer)
    response = client.post("/employers/company/edit/", {"name": "Harbor & Pine Outfitters!"})
    assert "is already on Mapertunity" in response.content.decode()
    assert Company.objects.for_user(employer).get().name == "Harbor Freight Co-op"


def test_an_unconfirmed_account_cannot_borrow_a_name_with_an_unconfirmed_address(
    client: Client,
) -> None:
    outfitter()
    impostor = User.objects.create_user("ceo@harborpine.example.com", "correct-horse-battery")
    client.force_login(impostor)  # typed the right domain, never confirmed it
    client.post("/employers/company/new/", {"name": "Harbor & Pine Outfitters"})
    assert Company.objects.count() == 1


def test_a_near_miss_of_a_verified_company_is_held_for_review(new_employer: User) -> None:
    outfitter()
    company = Company.objects.for_user(new_employer).get()
    company.name = "Harbour & Pine Outfitters LLC"
    company.postings_approved_at = timezone.now()
    company.save()
    from tests.helpers import make_job

    job = make_job(
        company,
        status=Job.Status.DRAFT,
        title="Store Associate",
        description="Help customers choose tents and boots.",
    )
    jobs.submit(job=job, by=new_employer)
    assert job.status == Job.Status.PENDING
    assert any("imitates the verified company" in r for r in job.review_reasons)
