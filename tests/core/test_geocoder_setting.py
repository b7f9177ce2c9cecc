from collections.abc import Iterator

import pytest
from django.test import override_settings

from mapertunity.core.geocoding import get_geocoder
from mapertunity.geo.gazetteer import Place
from mapertunity.jobs.actions import post_job
from mapertunity.jobs.forms import JobForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company

ATLANTIS = Place(
    name="Atlantis",
    region="",
    country_code="GR",
    country_name="Greece",
    lat=36.4,
    lng=25.4,
    population=1,
)


class OneCityGeocoder:
    """What a deployment might plug in: knows one place only."""

    def search(self, query: str, limit: int = 8) -> list[Place]:
        return [ATLANTIS] if query.lower().startswith("atl") else []

    def geocode(self, query: str) -> Place | None:
        return next(iter(self.search(query)), None)


@pytest.fixture
def one_city_geocoder() -> Iterator[None]:
    get_geocoder.cache_clear()
    with override_settings(GEOCODER=f"{__name__}.OneCityGeocoder"):
        yield
    get_geocoder.cache_clear()


@pytest.mark.django_db
def test_the_geocoder_setting_swaps_the_place_lookup(one_city_geocoder, client) -> None:
    form = JobForm(
        data={
            "title": "Lighthouse Keeper",
            "description": "Keep the light on.",
            "place": "Atlantis",
            "workplace": "onsite",
            "employment_type": "full_time",
            "salary_min": "1800",
            "salary_max": "2400",
            "salary_currency": "EUR",
            "salary_period": "month",
        },
        instance=Job(company=make_company()),
    )
    assert form.is_valid(), form.errors
    job = post_job(company=form.instance.company, author=None, details=form.details())
    assert (job.city, job.lat) == ("Atlantis", 36.4)
    assert "Atlantis" in client.get("/places/suggest/", {"q": "atl"}).content.decode()
    assert client.get("/places/suggest/", {"q": "Austin"}).content.decode().strip() == ""
