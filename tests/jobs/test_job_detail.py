import json
import re

import pytest
from django.test import Client

from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_it_shows_the_job_with_pay_place_and_company(client: Client) -> None:
    company = make_company(name="Pecan Street Bakery", website="https://pecan.example.com")
    job = make_job(company, title="Pastry Chef", street_address="12 Congress Ave")
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Pastry Chef", "Pecan Street Bakery", "$50,000–$65,000 per year", "Austin, TX"]:
        assert text in html
    assert "<strong>night shift</strong>" in html
    assert 'property="og:title" content="Pastry Chef at Pecan Street Bakery"' in html


def test_json_ld_has_googles_required_and_recommended_fields(client: Client) -> None:
    company = make_company(name="Pecan Street Bakery", website="https://pecan.example.com")
    job = make_job(company, street_address="12 Congress Ave", postal_code="78701")
    data = json_ld(client.get(job.get_absolute_url()).content.decode())
    assert data["@type"] == "JobPosting"
    assert data["title"] == job.title
    assert "<strong>night shift</strong>" in data["description"]
    assert data["datePosted"] == job.posted_at.date().isoformat()
    assert data["validThrough"].startswith(job.valid_through.date().isoformat())
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Pecan Street Bakery",
        "sameAs": "https://pecan.example.com",
    }
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 Congress Ave",
        "addressLocality": "Austin",
        "addressRegion": "TX",
        "postalCode": "78701",
        "addressCountry": "US",
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 50000.0,
            "maxValue": 65000.0,
            "unitText": "YEAR",
        },
    }
    assert data["identifier"]["value"] == str(job.pk)
    assert "directApply" in data


def test_json_ld_for_a_remote_job_names_where_applicants_may_live(client: Client) -> None:
    job = make_job(workplace="remote", remote_countries=["US", "CA"])
    data = json_ld(client.get(job.get_absolute_url()).content.decode())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "US"},
        {"@type": "Country", "name": "CA"},
    ]
    assert "jobLocation" not in data


def test_json_ld_cannot_break_out_of_its_script_element(client: Client) -> None:
    job = make_job(title="Chef </script><script>alert(1)</script>")
    html = client.get(job.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["title"] == job.title


def test_a_wrong_slug_redirects_to_the_canonical_url(client: Client) -> None:
    job = make_job(title="Night Nurse")
    response = client.get(f"/jobs/{job.pk}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == f"/jobs/{job.pk}/night-nurse/"


def test_an_unpublished_job_is_404_for_the_public(client: Client) -> None:
    job = make_job(status=Job.Status.DRAFT)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_an_unpublished_job_is_a_preview_for_its_employer(
    client: Client, employer, company
) -> None:
    job = make_job(company, status=Job.Status.DRAFT)
    client.force_login(employer)
    response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    assert "Only your team can see this page" in response.content.decode()
    assert "application/ld+json" not in response.content.decode()


def test_a_closed_job_is_410_with_open_jobs_nearby(client: Client) -> None:
    closed = make_job(title="Barista", status=Job.Status.CLOSED)
    nearby = make_job(title="Roaster", lat=30.3, lng=-97.7)
    make_job(title="Far Away Role", lat=-33.9, lng=151.2)
    response = client.get(closed.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "no longer open" in html
    assert nearby.get_absolute_url() in html


def test_a_missing_job_is_404(client: Client) -> None:
    assert client.get("/jobs/999999/anything/").status_code == 404
