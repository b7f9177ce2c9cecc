"""A search that finds nothing says what was probably meant, in words."""

import pytest
from django.test import Client

from mapertunity.jobs.suggestions import spelling_suggestion
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurses() -> None:
    company = make_company(name="Spree Care")
    for i in range(2):
        make_job(company, title=f"Night Nurse {i}", lat=52.52, lng=13.405, city="Berlin")
    make_job(company, title="Pastry Chef", lat=48.137, lng=11.575, city="Munich")


def test_an_unknown_word_is_respelt_from_the_jobs_titles(nurses: None) -> None:
    assert spelling_suggestion("nurce") == "nurse"
    assert spelling_suggestion("night nurce") == "night nurse"
    assert spelling_suggestion("pastri chef") == "pastry chef"


def test_known_words_and_gibberish_get_no_suggestion(nurses: None) -> None:
    assert spelling_suggestion("nurse") is None
    assert spelling_suggestion("qwzxvq") is None


def test_the_vocabulary_follows_new_jobs(nurses: None) -> None:
    assert spelling_suggestion("welderr") is None
    make_job(title="Pipe Welder")
    assert spelling_suggestion("welderr") == "welder"


def test_the_list_offers_the_respelt_search(client: Client, nurses: None) -> None:
    response = client.get("/jobs/", {"q": "nurce", "type": "full_time"})
    html = response.content.decode()
    assert 'class="did-you-mean"' in html
    assert 'data-q="nurse"' in html and "q=nurse" in html and "type=full_time" in html


def test_a_place_not_found_suggests_the_closest_name(client: Client, nurses: None) -> None:
    response = client.get("/jobs/", {"near": "Berln"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "find “Berln”. Did you mean “Berlin, Germany”?" in html
    api = client.get("/api/v1/map/jobs", {"bbox": "-10,40,20,60", "zoom": 4, "near": "Berln"})
    assert api.status_code == 400
    assert api.json()["detail"] == "near: We couldn't find “Berln”. Did you mean “Berlin, Germany”?"


def test_the_place_field_suggests_too() -> None:
    from django import forms

    from mapertunity.core.geocoding import PlaceField

    with pytest.raises(forms.ValidationError) as error:
        PlaceField().clean("Glasgoe")
    assert "Did you mean “Glasgow, Scotland, United Kingdom”?" in str(error.value)
