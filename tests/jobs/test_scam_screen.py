"""The scam screen: its figures on our labelled fixture, every rule, and the command.

``screen_fixture.jsonl`` holds postings written for this project (no real companies):
scams covering every rule, and honest postings, many of them look-alikes of the scams
(pay per day, equipment provided, remote work, gmail for a tiny shop, fees we pay).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from mapertunity.jobs.screen import HOLD_AT, Posting, screen
from mapertunity.jobs.screen import rules as screen_rules
from mapertunity.jobs.screen.context import posting_from_record
from tests.helpers import make_company

FIXTURE = Path(__file__).with_name("screen_fixture.jsonl")
RECORDS = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]


def _verified_outfitter() -> None:
    """The verified company one fixture scam imitates, as it would be on the site."""
    make_company(
        name="Harbor & Pine Outfitters",
        website="https://harborpine.example.com",
        verified_domain="harborpine.example.com",
        domain_verified_at=timezone.now(),
    )


def _run(path: Path, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command("screen_jobs", str(path), *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _figures(verdicts: list[dict]) -> tuple[float, float]:
    scams = [v for r, v in zip(RECORDS, verdicts, strict=True) if r["label"] == "scam"]
    honest = [v for r, v in zip(RECORDS, verdicts, strict=True) if r["label"] == "honest"]
    return (
        100 * sum(v["held"] for v in scams) / len(scams),
        100 * sum(v["held"] for v in honest) / len(honest),
    )


def test_the_fixture_has_at_least_30_scams_and_150_honest_postings() -> None:
    labels = [r["label"] for r in RECORDS]
    assert labels.count("scam") >= 30 and labels.count("honest") >= 150
    assert set(labels) == {"scam", "honest"}


@pytest.mark.django_db
def test_the_screen_holds_95_percent_of_scams_and_at_most_5_percent_of_honest_postings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _verified_outfitter()
    verdicts = _run(FIXTURE)
    assert len(verdicts) == len(RECORDS)
    scams_held, honest_held = _figures(verdicts)
    with capsys.disabled():
        print(
            f"\nscam screen on {FIXTURE.name}: {scams_held:.1f}% of scams held, "
            f"{honest_held:.1f}% of honest postings held"
        )
    assert scams_held >= 95
    assert honest_held <= 5


@pytest.mark.django_db
def test_without_the_sites_database_the_figures_still_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scams_held, honest_held = _figures(_run(FIXTURE, "--offline"))
    with capsys.disabled():
        print(
            f"\nscam screen offline: {scams_held:.1f}% of scams held, "
            f"{honest_held:.1f}% of honest postings held"
        )
    assert scams_held >= 95 and honest_held <= 5


@pytest.mark.django_db
def test_every_rule_catches_at_least_one_scam_of_the_fixture() -> None:
    _verified_outfitter()
    postings: list[Posting] = []
    for record in RECORDS:
        postings.append(posting_from_record(record, postings))
    scams = [p for p, r in zip(postings, RECORDS, strict=True) if r["label"] == "scam"]
    for rule in screen_rules.RULES:
        if rule is screen_rules.pressure:
            continue  # a small sign that only adds to others
        assert any(list(rule(posting)) for posting in scams), rule.__name__


def _posting(description: str, **fields: object) -> Posting:
    values: dict = {
        "title": "Office Assistant",
        "company": "Bellwether Supplies",
        "description": description,
        "pay_min": Decimal(18),
        "pay_max": Decimal(21),
        "currency": "USD",
        "period": "hour",
        "city": "Denver",
        "country": "US",
    }
    values.update(fields)
    return Posting(**values)


@pytest.mark.parametrize(
    "text",
    [
        "A one-time registration fee of $40 is required before training.",
        "Send your bank account details and routing number with your application.",
        "Email a copy of your passport to open your employee file.",
        "We will mail you a check; deposit it and buy your equipment from our vendor.",
        "Like videos and earn a commission per task. Top up your account to unlock more.",
        "No experience needed, earn $300 a day from your phone.",
    ],
)
def test_one_strong_sign_holds_a_posting_alone(text: str) -> None:
    assert screen(_posting(text)).held


@pytest.mark.parametrize(
    "text",
    [
        "We never ask for fees or bank details; payroll forms come after you accept an offer.",
        "Equipment provided: laptop, headset and a monitor.",
        "Bring your passport to your first day for the right-to-work check.",
        "Paid weekly by direct deposit. No experience needed, we train you.",
        "Day rate £180 for experienced scaffolders.",
        "We pay your certification fees and the background check.",
    ],
)
def test_honest_look_alikes_are_not_held(text: str) -> None:
    verdict = screen(_posting(text))
    assert not verdict.held, verdict.reasons


def test_weak_signs_need_each_other() -> None:
    webmail = _posting(
        "Write to us with your CV.",
        contact_email="bellwether.jobs@gmail.com",
        company_website="https://bellwether.example.com",
    )
    assert 0 < screen(webmail).score < HOLD_AT
    both = _posting(
        "Message the hiring manager on Telegram for the interview.",
        contact_email="bellwether.jobs@gmail.com",
        company_website="https://bellwether.example.com",
    )
    assert screen(both).held


def test_gmail_is_fine_for_a_shop_without_a_website() -> None:
    shop = _posting("Pop in or write to us.", contact_email="cornershop@gmail.com")
    assert screen(shop).score == 0


def test_pay_far_above_the_norm_for_the_role_and_place_is_a_sign() -> None:
    verdict = screen(_posting("Pack boxes.", title="Warehouse Packer", pay_min=80, pay_max=95))
    assert verdict.score > 0 and "norm" in verdict.reasons[0]
    india = screen(
        _posting(
            "Pack boxes.",
            title="Warehouse Packer",
            pay_min=15000,
            pay_max=18000,
            currency="INR",
            period="month",
            country="IN",
        )
    )
    assert india.score == 0


@pytest.mark.django_db
def test_the_command_prints_one_verdict_per_line_in_order(tmp_path: Path) -> None:
    path = tmp_path / "postings.jsonl"
    lines = [
        json.dumps({**RECORDS[0], "label": None}),
        "not json at all",
        json.dumps({"title": "Clerk", "company": "X"}),
        json.dumps(next(r for r in RECORDS if r["label"] == "scam")),
    ]
    path.write_text("\n".join(lines) + "\n")
    verdicts = _run(path)
    assert [set(v) for v in verdicts] == [{"held", "score", "reasons"}] * 4
    assert verdicts[0]["held"] is False and verdicts[3]["held"] is True
    assert verdicts[1]["held"] and "can't be read" in verdicts[1]["reasons"][0]
    assert "description" in verdicts[2]["reasons"][0]
    assert all(isinstance(v["score"], float) for v in verdicts)
