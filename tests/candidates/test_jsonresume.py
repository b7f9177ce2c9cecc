"""A candidate downloads their own profile as a JSON Resume that validates against the
jsonresume.org schema v1.0.0 (vendored beside this test, MIT licence in LICENSE.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from mapertunity.candidates.actions import _skills
from tests.helpers import make_candidate

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "jsonresume" / "schema-v1.0.0.json").read_text())
URL = "/profile/resume.json"


def test_the_export_is_a_valid_json_resume_of_the_profile(client: Client) -> None:
    profile = make_candidate(
        "dana-cook",
        headline="Line cook",
        summary="Ten years on the line; I run a clean station.",
        phone="+1 512 555 0100",
        years_experience=10,
        desired_roles="Line cook, Sous chef",
        workplaces=["onsite"],
        employment_types=["full_time"],
        desired_pay_min=4_000_000,
        open_to_relocation=True,
    )
    profile.skills.set(_skills(["Knife work", "Food safety"]))
    client.force_login(profile.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'filename="dana-cook.resume.json"' in response["Content-Disposition"]
    resume = response.json()
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(resume)
    basics = resume["basics"]
    assert basics["email"] == "dana-cook@people.example.org"
    assert basics["label"] == "Line cook" and basics["phone"] == "+1 512 555 0100"
    assert basics["location"] == {"city": "Austin", "countryCode": "US", "region": "United States"}
    assert [s["name"] for s in resume["skills"]] == ["Food safety", "Knife work"]
    assert resume["interests"][0]["keywords"] == ["Line cook", "Sous chef"]
    text = json.dumps(resume)
    assert str(profile.home_lat) not in text and "Home" not in text  # never the exact home


def test_an_empty_profile_is_still_valid(client: Client) -> None:
    profile = make_candidate("bare", headline="", summary="")
    client.force_login(profile.user)
    resume = client.get(URL).json()
    jsonschema.Draft4Validator(SCHEMA).validate(resume)


def test_it_is_only_your_own(client: Client, employer) -> None:
    assert client.get(URL).status_code == 302  # sign in first
    client.force_login(employer)  # no candidate profile: nobody else's is reachable
    assert client.get(URL).status_code == 404


def test_the_profile_settings_page_links_to_it(client: Client) -> None:
    profile = make_candidate("linked")
    client.force_login(profile.user)
    assert URL in client.get("/profile/").content.decode()
