import pytest
from django.test import Client

from mapertunity.candidates.actions import attach_resume
from mapertunity.candidates.resumes import check_resume
from tests.helpers import make_candidate, make_job

from .files import make_docx

pytestmark = pytest.mark.django_db
API = "/api/v1/map/candidates"
WORLD = {"bbox": "-180,-85,180,85", "zoom": 3}


def total(client: Client, **params) -> int:
    response = client.get(API, {**WORLD, **params})
    assert response.status_code == 200, response.content
    return response.json()["total"]


def test_anonymous_candidates_and_unverified_employers_get_403(
    client: Client, unverified_employer
) -> None:
    assert client.get(API, WORLD).status_code == 403
    assert "Sign in" in client.get(API, WORLD).json()["detail"]
    client.force_login(make_candidate().user)
    assert client.get(API, WORLD).status_code == 403
    client.force_login(unverified_employer)
    assert "confirmed email" in client.get(API, WORLD).json()["detail"]
    assert client.get("/candidates/map/").status_code == 403


def test_the_map_shows_only_visible_open_finished_confirmed_candidates(
    client: Client, employer
) -> None:
    make_candidate()
    make_candidate(visibility="public")
    make_candidate(visibility="hidden")
    make_candidate(open_to_work=False)
    make_candidate(verified=False)
    make_candidate(completed_at=None)
    client.force_login(employer)
    assert total(client) == 2
    assert client.get("/candidates/map/").status_code == 200


def test_groups_under_five_are_merged_and_never_single(client: Client, employer) -> None:
    for _ in range(3):
        make_candidate(lat=48.8566, lng=2.3522)  # Paris
    for _ in range(6):
        make_candidate(lat=52.52, lng=13.405)  # Berlin
    client.force_login(employer)
    features = client.get(API, {"bbox": "-10,40,20,60", "zoom": 12}).json()["features"]
    counts = sorted(f["properties"]["point_count"] for f in features)
    assert sum(counts) == 9
    assert all(c >= 5 for c in counts)
    assert all(f["properties"]["cluster"] for f in features)


def test_filters_by_skill_keyword_experience_and_workplace(client: Client, employer) -> None:
    welder = make_candidate(
        skills=("Welding", "Forklift"), years_experience=12, workplaces=["onsite"]
    )
    make_candidate(skills=("Welding",), years_experience=2, workplaces=["remote"])
    make_candidate(skills=("Python",), years_experience=5, workplaces=["remote", "hybrid"])
    upload = make_docx("Certified in underwater welding and rigging")
    attach_resume(profile=welder, upload=upload, checked=check_resume(upload))
    client.force_login(employer)
    assert total(client, skills="welding") == 2
    assert total(client, skills="Welding, forklift") == 1
    assert total(client, q="underwater") == 1
    assert total(client, min_years=5) == 2
    assert total(client, workplace="remote") == 2
    assert total(client, skills="welding", workplace="remote") == 1


def test_a_skill_filter_finds_every_spelling_of_it(client: Client, employer) -> None:
    make_candidate(skills=("SQL",))
    make_candidate(skills=("sql", "Welding"))
    client.force_login(employer)
    assert total(client, skills="Sql") == 2
    assert total(client, skills="sql, welding") == 1


def test_filters_by_pay_the_candidate_asks(client: Client, employer) -> None:
    make_candidate(desired_pay_min=6_000_000, desired_currency="USD", desired_period="year")
    make_candidate(desired_pay_min=2_500, desired_currency="USD", desired_period="hour")
    make_candidate()  # named no pay
    client.force_login(employer)
    assert total(client, max_pay=55000, currency="USD", period="year") == 2
    assert total(client, max_pay=70000, currency="USD", period="year") == 3
    assert client.get(API, {**WORLD, "max_pay": 5}).status_code == 400


def test_filters_by_who_would_commute_to_a_job(client: Client, employer, company) -> None:
    job = make_job(company)  # in Austin
    make_candidate(lat=30.50, lng=-97.70, commute_km=40)  # ~26 km away
    make_candidate(lat=30.50, lng=-97.70, commute_km=10)
    make_candidate(lat=29.42, lng=-98.49, commute_km=30)  # San Antonio, ~120 km
    make_candidate(lat=47.6, lng=-122.3, open_to_relocation=True)  # Seattle, will move
    client.force_login(employer)
    assert total(client, job=job.pk) == 2


def test_bad_parameters_are_a_400(client: Client, employer) -> None:
    client.force_login(employer)
    assert client.get(API, {"bbox": "x", "zoom": 3}).status_code == 400
    assert client.get(API, {**WORLD, "zoom": 40}).status_code == 400
    assert client.get(API, {**WORLD, "min_years": -1}).status_code == 400


def test_the_list_beside_the_map_shows_candidates_in_view(client: Client, employer) -> None:
    make_candidate("austin-cook", skills=("Grill",))
    make_candidate("paris-cook", lat=48.8566, lng=2.3522)
    client.force_login(employer)
    html = client.get(
        "/candidates/", {"bbox": "-100,25,-95,35"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "/u/austin-cook/" in html and "/u/paris-cook/" not in html
    assert "Grill" in html
