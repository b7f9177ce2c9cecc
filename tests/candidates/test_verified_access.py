"""Seeing candidates is for verified companies' employers, at a person's pace, and every
resume download is shown to the candidate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.candidates.models import CandidateProfile
from mapertunity.companies.models import Company
from tests.helpers import make_candidate, verify_email

from .test_resume_access import url, with_resume

pytestmark = pytest.mark.django_db


def test_a_candidate_who_makes_a_company_in_one_request_sees_no_candidates(
    client: Client,
) -> None:
    """The attack from the issue: a confirmed candidate account makes a company, then
    tries the profiles and resumes."""
    target = with_resume()
    attacker = make_candidate(handle="harvester").user
    client.force_login(attacker)
    client.post("/employers/company/new/", {"name": "Totally Real Recruiting"})
    assert Company.objects.for_user(attacker).exists()
    assert client.get(f"/u/{target.user.handle}/").status_code == 404
    assert client.get(url(target)).status_code == 404
    assert client.get("/candidates/map/").status_code == 403
    api = client.get("/api/v1/map/candidates", {"bbox": "-98,30,-97,31", "zoom": 10})
    assert api.status_code == 403


def test_the_403_page_says_what_is_missing(client: Client, new_employer: User) -> None:
    client.force_login(new_employer)
    html = client.get("/candidates/map/").content.decode()
    assert "verified companies" in html and "/employers/company/verify/" in html


def test_staff_approval_is_as_good_as_a_domain(client: Client, new_employer: User) -> None:
    target = with_resume()
    Company.objects.filter(memberships__user=new_employer).update(staff_verified_at=timezone.now())
    client.force_login(new_employer)
    assert client.get(f"/u/{target.user.handle}/").status_code == 200
    assert client.get(url(target)).status_code == 200


def test_profiles_are_limited_per_hour_and_the_same_one_again_is_free(
    client: Client, employer: User, settings
) -> None:
    settings.CANDIDATE_PROFILES_PER_HOUR = 3
    people = [make_candidate() for _ in range(4)]
    client.force_login(employer)
    for profile in people[:3]:
        assert client.get(f"/u/{profile.user.handle}/").status_code == 200
    assert client.get(f"/u/{people[0].user.handle}/").status_code == 200  # seen already
    refused = client.get(f"/u/{people[3].user.handle}/")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "Please slow down" in refused.content.decode()


def test_public_profiles_and_the_owner_are_not_counted(client: Client, employer, settings) -> None:
    settings.CANDIDATE_PROFILES_PER_HOUR = 0
    public = make_candidate(visibility=CandidateProfile.Visibility.PUBLIC)
    client.force_login(employer)
    assert client.get(f"/u/{public.user.handle}/").status_code == 200
    own = make_candidate()
    client.force_login(own.user)
    assert client.get(f"/u/{own.user.handle}/").status_code == 200


def test_resume_downloads_are_limited_per_hour(client: Client, employer: User, settings) -> None:
    settings.RESUME_DOWNLOADS_PER_HOUR = 2
    people = [with_resume() for _ in range(3)]
    client.force_login(employer)
    assert [client.get(url(p)).status_code for p in people] == [200, 200, 429]


def test_every_resume_download_is_listed_for_the_candidate(client: Client, employer: User) -> None:
    profile = with_resume()
    client.force_login(employer)
    client.get(url(profile))
    client.force_login(profile.user)
    client.get(url(profile))  # the owner's own download is not listed
    html = client.get("/profile/").content.decode()
    assert "Who downloaded your resume (1)" in html
    assert "Harbor Freight Co-op" in html and "from your profile" in html
    download = profile.resume_downloads.get()
    assert download.downloaded_by == employer and download.company_name == "Harbor Freight Co-op"


def test_a_resume_sent_with_an_application_is_listed_when_downloaded(
    client: Client, employer: User, company
) -> None:
    from tests.applications.helpers import apply_to
    from tests.helpers import make_job

    application = apply_to(make_job(company))
    assert application.resume_file
    client.force_login(employer)
    assert client.get(f"/employers/applicants/{application.pk}/resume/").status_code == 200
    assert application.candidate.resume_downloads.get().via == "application"


def test_an_employer_without_a_confirmed_address_is_refused_even_at_a_verified_company(
    client: Client,
) -> None:
    from tests.helpers import make_company

    target = with_resume()
    user = User.objects.create_user("temp@harbor.example.com", "correct-horse-battery")
    make_company(owner=user, name="Verified Co", staff_verified_at=timezone.now())
    client.force_login(user)
    assert client.get(url(target)).status_code == 404
    verify_email(user)
    assert client.get(url(target)).status_code == 200
