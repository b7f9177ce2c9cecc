"""A resume reaches its owner, and employers only when the profile allows; nobody else."""

import pytest
from django.conf import settings
from django.test import Client

from mapertunity.candidates.actions import attach_resume
from mapertunity.candidates.models import CandidateProfile
from mapertunity.candidates.resumes import check_resume
from tests.helpers import make_candidate

from .files import make_pdf

pytestmark = pytest.mark.django_db


def with_resume(**fields) -> CandidateProfile:
    profile = make_candidate(**fields)
    upload = make_pdf("Confidential: my whole career", name="Sam Rivera CV.pdf")
    attach_resume(profile=profile, upload=upload, checked=check_resume(upload))
    return profile


def url(profile: CandidateProfile) -> str:
    return profile.resume.get_absolute_url()


def test_the_owner_downloads_it_as_an_attachment_with_nosniff(client: Client) -> None:
    profile = with_resume()
    client.force_login(profile.user)
    response = client.get(url(profile))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Sam Rivera CV.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_candidate_gets_404(client: Client) -> None:
    profile = with_resume()
    client.force_login(make_candidate().user)
    assert client.get(url(profile)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(url(with_resume()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_verified_employer_gets_it_when_the_profile_allows(client: Client, employer) -> None:
    client.force_login(employer)
    for visibility in ("employers", "public"):
        response = client.get(url(with_resume(visibility=visibility)))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")


def test_an_employer_gets_404_when_the_profile_is_hidden(client: Client, employer) -> None:
    client.force_login(employer)
    assert client.get(url(with_resume(visibility="hidden"))).status_code == 404


def test_an_employer_gets_404_before_the_candidate_confirms_their_email(
    client: Client, employer
) -> None:
    client.force_login(employer)
    assert client.get(url(with_resume(verified=False))).status_code == 404


def test_an_unverified_employer_gets_404(client: Client, unverified_employer) -> None:
    client.force_login(unverified_employer)
    assert client.get(url(with_resume())).status_code == 404


def test_resumes_are_stored_outside_any_public_url(client: Client) -> None:
    profile = with_resume()
    path = profile.resume.file.path
    assert path.startswith(str(settings.PRIVATE_STORAGE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert "Sam Rivera" not in path  # the stored name is random
    name = profile.resume.file.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/static/{name}").status_code == 404


def test_replacing_a_resume_deletes_the_old_file() -> None:
    profile = with_resume()
    old_path = profile.resume.file.path
    upload = make_pdf("A newer resume")
    attach_resume(profile=profile, upload=upload, checked=check_resume(upload))
    profile.refresh_from_db()
    assert profile.resume.file.path != old_path
    import os

    assert not os.path.exists(old_path)


def test_the_owner_can_delete_it(client: Client) -> None:
    profile = with_resume()
    client.force_login(profile.user)
    client.post("/profile/resume/delete/")
    assert client.get(url(profile)).status_code == 404
