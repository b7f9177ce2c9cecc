import pytest
from django.core.management import call_command
from django.test import Client

from mapertunity.candidates.models import CandidateProfile, Resume
from mapertunity.demo.candidates import CANDIDATE_EMAIL, CANDIDATE_PASSWORD, load_candidates_demo

pytestmark = pytest.mark.django_db


def test_demo_candidates_are_varied_located_and_mostly_findable() -> None:
    summary = load_candidates_demo(seed=3, count=60)
    assert summary.candidates == 61
    profiles = CandidateProfile.objects.all()
    assert profiles.count() == 61
    assert summary.on_map == CandidateProfile.objects.on_candidate_map().count() > 30
    assert len({p.public_label for p in profiles}) > 10
    assert {p.visibility for p in profiles} >= {"employers", "public"}
    assert all(
        p.public_lat is not None and (p.public_lat, p.public_lng) != (p.home_lat, p.home_lng)
        for p in profiles
    )
    assert Resume.objects.count() == summary.resumes > 30
    assert {r.kind for r in Resume.objects.all()} == {"pdf", "docx"}
    resume = Resume.objects.filter(kind="pdf").first()
    assert resume.file.open("rb").read(5) == b"%PDF-"


def test_the_demo_candidate_can_sign_in_and_has_a_public_profile(client: Client) -> None:
    load_candidates_demo(seed=3, count=5)
    assert client.login(email=CANDIDATE_EMAIL, password=CANDIDATE_PASSWORD)
    assert Client().get("/u/demo-candidate/").status_code == 200


def test_seeding_twice_changes_nothing() -> None:
    call_command("seed_demo", jobs=20, companies=5, candidates=10)
    profiles, resumes = CandidateProfile.objects.count(), Resume.objects.count()
    assert profiles == 11 and 0 < resumes <= 11
    call_command("seed_demo", jobs=20, companies=5, candidates=10)
    assert (CandidateProfile.objects.count(), Resume.objects.count()) == (profiles, resumes)
