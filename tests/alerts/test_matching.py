"""Which live jobs an alert matches: its /jobs/ filters inside its box or drawn polygon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mapertunity.alerts.matching import describe, matching_jobs, normalised_query
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job

from .helpers import job_at, make_alert, make_seeker

pytestmark = pytest.mark.django_db


def ids(jobs: list[Job]) -> set[int]:
    return {job.pk for job in jobs}


def test_a_box_alert_matches_jobs_inside_the_box_only(company) -> None:
    austin = job_at(company, -97.74, 30.27, city="Austin")
    dallas = job_at(company, -96.80, 32.78, city="Dallas")
    alert = make_alert(make_seeker(), box=(-98.2, 29.9, -97.2, 30.8))
    assert ids(matching_jobs(alert)) == {austin.pk}
    assert dallas.pk not in ids(matching_jobs(alert))


def test_a_polygon_alert_leaves_out_jobs_in_its_bounding_box_but_outside_it(company) -> None:
    # A triangle over Austin; the corner job is inside the triangle's box, not the triangle.
    inside = job_at(company, -97.70, 30.30)
    corner = job_at(company, -98.10, 30.70)
    alert = make_alert(make_seeker(), polygon=[(-98.2, 30.0), (-97.2, 30.0), (-97.7, 30.8)])
    assert alert.box == (-98.2, 30.0, -97.2, 30.8)
    assert ids(matching_jobs(alert)) == {inside.pk}
    assert corner.pk not in ids(matching_jobs(alert))


def test_a_box_across_the_antimeridian_matches_both_sides_and_not_the_rest(company) -> None:
    fiji = job_at(company, 178.44, -18.14, city="Suva", country="FJ")
    samoa = job_at(company, -171.76, -13.83, city="Apia", country="WS")
    lima = job_at(company, -77.04, -12.05, city="Lima", country="PE")
    alert = make_alert(make_seeker(), box=(170.0, -25.0, -165.0, -5.0))
    assert ids(matching_jobs(alert)) == {fiji.pk, samoa.pk}
    assert lima.pk not in ids(matching_jobs(alert))


def test_a_polygon_drawn_across_the_antimeridian_matches_both_sides(company) -> None:
    fiji = job_at(company, 178.44, -18.14, city="Suva", country="FJ")
    samoa = job_at(company, -171.76, -13.83, city="Apia", country="WS")
    # Tonga is inside the polygon's bounding box but outside its slanted south-east edge.
    tonga = job_at(company, -175.20, -21.13, city="Nukuʻalofa", country="TO")
    lima = job_at(company, -77.04, -12.05, city="Lima", country="PE")
    # Drawn as Leaflet reports it once the map has jumped a world copy: 175 … -170.
    alert = make_alert(
        make_seeker(), polygon=[(175.0, -20.0), (-178.0, -22.0), (-170.0, -12.0), (175.0, -10.0)]
    )
    assert alert.box == (175.0, -22.0, -170.0, -10.0)
    assert ids(matching_jobs(alert)) == {fiji.pk, samoa.pk}
    assert tonga.pk not in ids(matching_jobs(alert)) and lima.pk not in ids(matching_jobs(alert))


def test_the_filters_apply_inside_the_area(company) -> None:
    nurse = job_at(company, -97.74, 30.27, title="Night Nurse")
    job_at(company, -97.75, 30.28, title="Forklift Driver")
    job_at(company, -96.80, 32.78, title="Day Nurse")  # a nurse, but outside the box
    alert = make_alert(make_seeker(), query="q=nurse", box=(-98.2, 29.9, -97.2, 30.8))
    assert ids(matching_jobs(alert)) == {nurse.pk}


def test_an_alert_for_anywhere_matches_every_live_job_and_no_closed_one(company) -> None:
    live = job_at(company, 10.0, 50.0)
    closed = job_at(company, 11.0, 51.0, status=Job.Status.CLOSED)
    expired = job_at(company, 12.0, 52.0, valid_through=timezone.now() - dt.timedelta(hours=1))
    found = ids(matching_jobs(make_alert(make_seeker())))
    assert live.pk in found and closed.pk not in found and expired.pk not in found


def test_since_keeps_only_jobs_posted_from_then_on(company) -> None:
    old = job_at(company, 10.0, 50.0, posted_at=timezone.now() - dt.timedelta(days=5))
    new = job_at(company, 10.0, 50.0)
    alert = make_alert(make_seeker(), days_ago=2)
    assert ids(matching_jobs(alert, since=alert.created_at)) == {new.pk}
    assert old.pk in ids(matching_jobs(alert))


def test_an_alert_whose_filters_stopped_validating_matches_nothing(company) -> None:
    job_at(company, 10.0, 50.0)
    alert = make_alert(make_seeker(), query="radius_km=9999")
    assert matching_jobs(alert) == []


def test_the_same_search_is_one_normalised_query_string() -> None:
    first = JobFilterForm(
        {
            "type": ["part_time", "full_time"],
            "q": "  night   nurse ",
            "currency": "EUR",
            "sort": "date",
        }
    )
    second = JobFilterForm({"q": "night nurse", "type": ["full_time", "part_time"]})
    assert first.is_valid() and second.is_valid()
    assert normalised_query(first) == normalised_query(second)
    assert normalised_query(first) == "q=night+nurse&type=full_time&type=part_time"
    paid = JobFilterForm({"salary_min": "50000.00", "near": "Austin,  TX", "radius_km": "25"})
    assert paid.is_valid(), paid.errors
    assert normalised_query(paid) == (
        "salary_min=50000&currency=USD&period=year&near=Austin%2C+TX&radius_km=25"
    )
    assert describe(normalised_query(paid)) == [
        "pay at least 50000 USD per year",
        "within 25 km of Austin, TX",
    ]
