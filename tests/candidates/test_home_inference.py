"""An employer combining many answers can't locate a candidate's home below the public cell.

The attack, as a probe found it: move one of your jobs again and again and watch whether
a candidate stays among those "willing to commute to" it. With distances taken from the
private home, nine moves placed a home within 0.3–0.8 km. Here the attacker samples a
whole grid of job places (far more than the rate limit allows), intersects the answers,
and still can't tell apart two people whose homes are ~2 km apart in the same cell.
"""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from mapertunity.candidates.models import CandidateProfile
from mapertunity.geo.morton import unproject
from mapertunity.geo.privacy import CELL_LEVEL, cell_of
from tests.helpers import make_candidate, make_job

pytestmark = pytest.mark.django_db

# A rural spot in the Nebraska Sandhills: no city covers it, so the public point is the
# centre of the home's ~2.4 km cell (the least coarse case the product promises).
RURAL = (42.0712, -101.3525)


def _cell_corners(lat: float, lng: float, inset: float = 0.05) -> tuple[tuple, tuple]:
    """Two homes near opposite corners of the privacy cell that (lat, lng) falls in."""
    cx, cy = cell_of(lat, lng)
    n = 1 << CELL_LEVEL
    a_lng, a_lat = unproject((cx + inset) / n, (cy + inset) / n)
    b_lng, b_lat = unproject((cx + 1 - inset) / n, (cy + 1 - inset) / n)
    return (a_lat, a_lng), (b_lat, b_lng)


def _in_commute_results(client: Client, job_id: int, handles: list[str]) -> tuple[bool, ...]:
    html = client.get("/candidates/", {"job": job_id}).content.decode()
    return tuple(f"/u/{handle}/" in html for handle in handles)


def test_many_job_moves_cannot_tell_apart_two_homes_in_one_cell(client: Client, employer) -> None:
    (a_lat, a_lng), (b_lat, b_lng) = _cell_corners(*RURAL)
    alice = make_candidate("alice-far-corner", lat=a_lat, lng=a_lng, commute_km=8)
    bob = make_candidate("bob-near-corner", lat=b_lat, lng=b_lng, commute_km=8)
    assert (alice.public_lat, alice.public_lng) == (bob.public_lat, bob.public_lng)
    job = make_job(next(iter(employer.memberships.all())).company, lat=RURAL[0], lng=RURAL[1])
    client.force_login(employer)

    answers = []
    # A 21 × 21 grid of job places 1 km apart around the cell: 441 moves, intersected.
    steps = [k * 0.009 for k in range(-10, 11)]
    for d_lat, d_lng in itertools.product(steps, steps):
        job.lat, job.lng = RURAL[0] + d_lat, RURAL[1] + d_lng * 1.35
        job.save(update_fields=["lat", "lng"])
        answers.append(_in_commute_results(client, job.pk, [alice.user.handle, bob.user.handle]))

    seen = {answer for answer in answers}
    assert (True, True) in seen and (False, False) in seen  # the probe does see in and out
    # Every answer treats both people alike: the homes ~2 km apart are indistinguishable,
    # so nothing finer than the public cell can be worked out.
    assert seen <= {(True, True), (False, False)}


def test_distance_answers_follow_the_public_point_not_the_home(client: Client, employer) -> None:
    (a_lat, a_lng), _ = _cell_corners(*RURAL)
    person = make_candidate("edge-of-reach", lat=a_lat, lng=a_lng, commute_km=5)
    profile = CandidateProfile.objects.get(pk=person.pk)
    company = next(iter(employer.memberships.all())).company
    # 4.9 km from the public point, but ~6 km from the home on the far side of the cell.
    job = make_job(company, lat=profile.public_lat - 0.044, lng=profile.public_lng)
    client.force_login(employer)
    assert _in_commute_results(client, job.pk, [person.user.handle]) == (True,)


def test_a_jobs_place_can_only_change_a_few_times_a_day(client: Client, employer, settings) -> None:
    settings.JOB_PLACE_CHANGES_PER_DAY = 2
    company = next(iter(employer.memberships.all())).company
    job = make_job(company)
    client.force_login(employer)
    form = {
        "title": job.title,
        "description": job.description,
        "workplace": "onsite",
        "employment_type": "full_time",
        "salary_min": "50000",
        "salary_max": "65000",
        "salary_currency": "USD",
        "salary_period": "year",
    }
    places = ["Round Rock, TX", "Georgetown, TX", "San Marcos, TX"]
    codes = [
        client.post(f"/employers/jobs/{job.pk}/edit/", {**form, "place": place}).status_code
        for place in places
    ]
    assert codes == [302, 302, 200]
    job.refresh_from_db()
    assert job.city == "Georgetown"
    page = client.post(f"/employers/jobs/{job.pk}/edit/", {**form, "place": "San Marcos, TX"})
    assert "at most 2 times a day" in page.content.decode()
    # Other edits still go through.
    assert (
        client.post(
            f"/employers/jobs/{job.pk}/edit/", {**form, "place": "Georgetown, TX", "title": "Lead"}
        ).status_code
        == 302
    )
