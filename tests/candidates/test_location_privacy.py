"""No one but the candidate ever sees where they live."""

import json

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from mapertunity.geo.distance import haversine_km
from mapertunity.geo.gazetteer import cities
from mapertunity.geo.privacy import CELL_LEVEL, cell_centre, cell_of, city_reach_km, public_point
from tests.helpers import make_candidate

lats = st.floats(min_value=-84, max_value=84, allow_nan=False)
lngs = st.floats(min_value=-179.99, max_value=179.99, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(lat=lats, lng=lngs, dx=st.floats(0.01, 0.99), dy=st.floats(0.01, 0.99))
def test_every_home_in_the_same_cell_gets_the_same_public_point(
    lat: float, lng: float, dx: float, dy: float
) -> None:
    from mapertunity.geo.morton import unproject

    cx, cy = cell_of(lat, lng)
    n = 1 << CELL_LEVEL
    other_lng, other_lat = unproject((cx + dx) / n, (cy + dy) / n)
    assert cell_of(other_lat, other_lng) == (cx, cy)
    assert public_point(lat, lng) == public_point(other_lat, other_lng)


@settings(max_examples=60, deadline=None)
@given(lat=lats, lng=lngs)
def test_the_public_point_is_a_cell_centre_or_a_city_centre_never_the_home(
    lat: float, lng: float
) -> None:
    point = public_point(lat, lng)
    assert point == public_point(lat, lng)
    if point.city:
        # A city's own centre from the gazetteer, covering the home's cell.
        city = next(
            c
            for c in cities(min_population=15_000)
            if c.name == point.city and (c.lat, c.lng) == (point.lat, point.lng)
        )
        centre = cell_centre(*cell_of(lat, lng))
        assert haversine_km(*centre, city.lat, city.lng) <= city_reach_km(city.population)
    else:
        assert (point.lat, point.lng) == cell_centre(*cell_of(lat, lng))


def test_a_home_in_a_city_shows_the_city_centre() -> None:
    point = public_point(30.2901, -97.7312)  # a street in Austin
    assert point.city == "Austin"
    assert abs(point.lat - 30.267) < 0.01 and abs(point.lng + 97.743) < 0.01


def test_a_rural_home_shows_its_cell_centre() -> None:
    point = public_point(-24.5, 133.1)  # the Australian outback
    assert point.city == ""
    assert (point.lat, point.lng) == pytest.approx(cell_centre(*cell_of(-24.5, 133.1)))


HOME = (30.28453, -97.71219)


def _exact_strings() -> list[str]:
    lat, lng = HOME
    return [f"{v:.{d}f}" for v in (lat, lng) for d in (3, 4, 5)] + [repr(lat), repr(lng)]


@pytest.mark.django_db
def test_no_page_or_api_response_contains_the_exact_home(client: Client, employer) -> None:
    candidate = make_candidate("home-owner", lat=HOME[0], lng=HOME[1], visibility="public")
    assert (candidate.home_lat, candidate.home_lng) == HOME
    client.force_login(employer)
    responses = [
        client.get("/u/home-owner/"),
        client.get("/candidates/", {"bbox": "-98,30,-97,31"}),
        client.get("/candidates/map/"),
        client.get("/api/v1/map/candidates", {"bbox": "-98,30,-97,31", "zoom": 22}),
        client.get("/api/v1/map/candidates", {"bbox": "-180,-85,180,85", "zoom": 2}),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        for text in _exact_strings():
            assert text not in body, (response.request["PATH_INFO"], text)
    data = json.loads(responses[3].content)
    assert data["total"] == 1
    for feature in data["features"]:
        assert feature["properties"]["cluster"] is True
        assert "id" not in feature["properties"]
