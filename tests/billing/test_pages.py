"""What employers see: the balance and history, and what a posting will cost before they
publish; publishing without a credit is refused with a link to buy, nothing lost."""

from __future__ import annotations

import pytest
from django.test import Client

from mapertunity.jobs.models import Job

from .helpers import draft, give, use_free_posting

pytestmark = pytest.mark.django_db

JOB = {
    "title": "Bike Mechanic",
    "description": "Fix bikes. Talk to riders about their rides.",
    "place": "Portland, OR",
    "workplace": "onsite",
    "employment_type": "part_time",
    "salary_min": "24",
    "salary_max": "31",
    "salary_currency": "USD",
    "salary_period": "hour",
}


def test_the_credits_page_shows_the_balance_and_the_history(
    client: Client, employer, company
) -> None:
    give(company, 3)
    use_free_posting(company)
    client.force_login(employer)
    dashboard = client.get("/employers/").content.decode()
    assert f'href="/employers/credits/{company.slug}/"' in dashboard and "Credits: 3" in dashboard
    page = client.get(f"/employers/credits/{company.slug}/").content.decode()
    assert "Balance: <strong>3 credits</strong>" in page
    assert "Granted: Test credits" in page and "+3" in page
    assert "1 credit; your company has 3 credits." in page


def test_the_job_form_says_the_first_posting_is_free(client: Client, employer) -> None:
    client.force_login(employer)
    page = client.get("/employers/jobs/new/").content.decode()
    assert "Free: your company&#x27;s first posting." in page


def test_the_job_form_says_the_next_costs_a_credit(client: Client, employer, company) -> None:
    use_free_posting(company)
    give(company, 2)
    client.force_login(employer)
    page = client.get("/employers/jobs/new/").content.decode()
    assert "1 credit; your company has 2 credits." in page


def test_with_no_credit_the_form_offers_to_buy_and_publishing_keeps_a_draft(
    client: Client, employer, company
) -> None:
    use_free_posting(company)
    client.force_login(employer)
    form = client.get("/employers/jobs/new/").content.decode()
    assert "no credits left" in form and 'href="/employers/credits/"' in form
    response = client.post("/employers/jobs/new/", {**JOB, "publish": "1"}, follow=True)
    html = response.content.decode()
    assert "costs 1 credit and your company has none left" in html
    assert 'href="/employers/credits/">Buy credits</a>' in html
    job = Job.objects.get(title="Bike Mechanic")
    assert job.status == Job.Status.DRAFT and job.description == JOB["description"]
    give(company, 1)
    client.post(f"/employers/jobs/{job.pk}/publish/")
    job.refresh_from_db()
    assert job.is_live


def test_renewing_from_the_dashboard_without_credits_says_how_to_buy(
    client: Client, employer, company
) -> None:
    from tests.helpers import make_job

    job = make_job(company)
    before = job.valid_through
    client.force_login(employer)
    html = client.post(f"/employers/jobs/{job.pk}/renew/", follow=True).content.decode()
    assert "Renewing a job costs 1 credit" in html and "Buy credits" in html
    job.refresh_from_db()
    assert job.valid_through == before


def test_a_draft_shows_what_sending_it_costs_on_its_edit_page(
    client: Client, employer, company
) -> None:
    use_free_posting(company)
    job = draft(company, employer)
    client.force_login(employer)
    page = client.get(f"/employers/jobs/{job.pk}/edit/").content.decode()
    assert "Publishing this job costs:" in page and "no credits left" in page


def test_the_renew_link_without_credits_says_so_and_offers_to_buy(client: Client, company) -> None:
    from mapertunity.jobs import actions
    from tests.helpers import make_job

    job = make_job(company)
    link = actions.renew_url(job)
    assert "Renewing costs 1 credit" in client.get(link).content.decode()
    response = client.post(link)
    html = response.content.decode()
    assert response.status_code == 409 and "costs 1 credit" in html
    assert 'href="/employers/credits/"' in html
