"""The XML job feed for aggregators: Indeed's fields, valid against our XSD, text in CDATA
(even text that tries to close it), and each company's responsiveness figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from mapertunity.applications import actions
from mapertunity.companies.models import Company
from mapertunity.jobs.models import Job
from tests.applications.helpers import apply_to, candidate_with_resume
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
FEED = "/jobs/feed/jobs.xml"
XSD = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("indeed_feed.xsd"))))
REQUIRED = [
    "title", "date", "referencenumber", "url", "company", "city", "state", "country",
    "postalcode", "description", "salary", "jobtype",
]  # fmt: skip


def feed(client: Client) -> etree._Element:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    body = b"".join(response.streaming_content)
    document = etree.fromstring(body)
    XSD.assertValid(document)
    return document


def test_every_live_job_is_in_the_feed_with_indeeds_fields(client: Client) -> None:
    job = make_job(title="Night Baker", postal_code="78701", employment_type="part_time")
    make_job(title="A draft", status=Job.Status.DRAFT, posted_at=None)
    make_job(title="Closed", status=Job.Status.CLOSED)
    document = feed(client)
    [item] = document.findall("job")
    assert [child.tag for child in item][: len(REQUIRED)] == REQUIRED
    assert item.findtext("title") == "Night Baker"
    assert item.findtext("referencenumber") == str(job.pk)
    assert item.findtext("url") == f"http://127.0.0.1:8000{job.get_absolute_url()}"
    assert (item.findtext("city"), item.findtext("state"), item.findtext("country")) == (
        "Austin",
        "TX",
        "US",
    )
    assert item.findtext("postalcode") == "78701"
    assert item.findtext("salary") == "$50,000–$65,000 per year"
    assert item.findtext("jobtype") == "parttime"
    assert "<strong>night shift</strong>" in item.findtext("description")


def test_text_is_cdata_and_cant_break_out(client: Client) -> None:
    company = make_company(name="Pots & Pans <Ltd>")
    make_job(
        company,
        title="Cook ]]> <script>alert(1)</script> & more\x0b",
        description="Cook ]]><evil/> & bake.",
    )
    raw = b"".join(client.get(FEED).streaming_content).decode()
    assert "<![CDATA[Pots & Pans <Ltd>]]>" in raw
    assert "<evil/>" not in raw.replace("<![CDATA[", "").split("]]>")[0]
    [item] = feed(client).findall("job")
    assert item.findtext("title") == "Cook ]]> <script>alert(1)</script> & more"
    assert item.findtext("company") == "Pots & Pans <Ltd>"
    assert "<evil/>" not in item.findtext("description")  # sanitised away before the feed


def test_the_feed_carries_each_companys_responsiveness(client: Client, company: Company) -> None:
    job = make_job(company)
    make_job(make_company(name="Brand New"), title="Their first job")
    now = timezone.now()
    for _ in range(5):
        application = apply_to(job, candidate_with_resume(), now=now - dt.timedelta(days=20))
        actions.move(
            application=application,
            to="reviewing",
            actor=company.memberships.get().user,
            now=now - dt.timedelta(days=19),
        )
    figures = {
        item.findtext("company"): item.find("responsiveness").attrib
        for item in feed(client).findall("job")
    }
    assert figures[company.name] == {
        "new": "false",
        "judged": "5",
        "ratepercent": "100",
        "medianhours": "24.0",
    }
    assert figures["Brand New"] == {"new": "true", "judged": "0"}
    detail = client.get(f"/api/v1/jobs/{job.pk}").json()["responsiveness"]
    assert detail == {
        "new": False,
        "rate_percent": 100,
        "median_hours": 24.0,
        "judged_applications": 5,
    }
