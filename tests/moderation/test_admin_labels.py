"""The review queue and the reports list read as plain words: column headings, states and
filters staff understand without knowing the field names."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mapertunity.accounts.models import User
from mapertunity.moderation import actions
from tests.helpers import make_job

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/jobreview/"
REPORTS = "/admin/moderation/report/"


def headings(html: str) -> list[str]:
    head = html.split('<table id="result_list">', 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r'<div class="text">(.*?)</div>', head, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells][1:]  # after select-all


def filter_choices(html: str) -> list[str]:
    return re.findall(r'<li(?: class="selected")?>\s*<a href="\?[^"]*"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def reported(staff: User, employer: User) -> None:
    held = make_job(title="Held Role")
    held.hold(reasons=["Asks for money up front: “a fee”"], score=0.912, now=held.created_at)
    actions.report_job(job=make_job(title="Reported Role"), reporter=employer, reason="scam")


def test_the_queue_speaks_plainly(client: Client, staff: User, reported: None) -> None:
    client.force_login(staff)
    html = client.get(QUEUE).content.decode()
    assert "<h1>Review queue</h1>" in html and "2 postings to review" in html
    assert headings(html) == [
        "Posting",
        "Company",
        "Status",
        "Scam screen",
        "Why it is here",
        "Open reports",
        "Waiting since",
    ]
    assert "Waiting for review" in html and "Live, reported" in html and "0.91 of 1" in html
    assert filter_choices(html) == [
        "All",
        "Waiting for review",
        "Hidden after reports",
        "Live, reported",
    ]


def test_the_queue_filters_by_those_states(client: Client, staff: User, reported: None) -> None:
    client.force_login(staff)
    html = client.get(QUEUE, {"state": "pending"}).content.decode()
    assert "Held Role" in html and "Reported Role" not in html


def test_the_reports_list_speaks_plainly(client: Client, staff: User, reported: None) -> None:
    client.force_login(staff)
    html = client.get(REPORTS).content.decode()
    assert "<h1>Reports</h1>" in html
    assert headings(html) == ["Reported", "Reason", "About", "Reported by", "Resolved", "Outcome"]
    assert ">Scam</span>" in html and "Not yet" in html
    assert filter_choices(html)[:3] == ["All", "Open", "Resolved"]
    assert "Empty" not in filter_choices(html)


def test_the_reports_list_filters_open_and_resolved(
    client: Client, staff: User, reported: None
) -> None:
    client.force_login(staff)
    assert "Reported Role" in client.get(REPORTS, {"open": "yes"}).content.decode()
    assert "Reported Role" not in client.get(REPORTS, {"open": "no"}).content.decode()
