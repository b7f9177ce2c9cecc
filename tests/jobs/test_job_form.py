from typing import Any

import pytest

from mapertunity.jobs.actions import post_job
from mapertunity.jobs.forms import PAY_REQUIRED, JobForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Delivery Driver",
        "description": "Deliver parcels around town.",
        "place": "Austin, TX",
        "workplace": "onsite",
        "employment_type": "full_time",
        "salary_min": "40000",
        "salary_max": "52000.50",
        "salary_currency": "USD",
        "salary_period": "year",
    }
    data.update(overrides)
    return data


def bound(**overrides: Any) -> JobForm:
    return JobForm(data=form_data(**overrides), instance=Job(company=make_company()))


def save(form: JobForm) -> Job:
    return post_job(company=form.instance.company, author=None, details=form.details())


def test_a_good_form_geocodes_the_place_and_stores_pay_in_cents() -> None:
    form = bound()
    assert form.is_valid(), form.errors
    job = save(form)
    assert (job.city, job.region, job.country) == ("Austin", "TX", "US")
    assert abs(job.lat - 30.27) < 0.1 and abs(job.lng + 97.74) < 0.1
    assert (job.salary_min, job.salary_max) == (4_000_000, 5_200_050)
    assert job.status == Job.Status.DRAFT


def test_a_us_zip_code_is_a_place() -> None:
    form = bound(place="78701")
    assert form.is_valid(), form.errors
    assert save(form).postal_code == "78701"


@pytest.mark.parametrize("field", ["salary_min", "salary_max"])
def test_missing_pay_is_refused_because_every_job_shows_its_pay(field: str) -> None:
    form = bound(**{field: ""})
    assert not form.is_valid()
    assert form.errors[field] == [PAY_REQUIRED]


def test_a_minimum_above_the_maximum_is_refused() -> None:
    form = bound(salary_min="60000", salary_max="50000")
    assert not form.is_valid()
    assert "can't be below the bottom" in form.errors["salary_max"][0]


def test_negative_pay_is_refused() -> None:
    form = bound(salary_min="-5")
    assert not form.is_valid()
    assert form.errors["salary_min"] == ["Pay can't be negative."]


def test_an_unknown_place_is_an_error_not_null_island() -> None:
    form = bound(place="Qwxzzyville Nowhere")
    assert not form.is_valid()
    assert "couldn't find “Qwxzzyville Nowhere”" in form.errors["place"][0]


def test_a_remote_job_must_say_where_applicants_may_live() -> None:
    form = bound(workplace="remote")
    assert not form.is_valid()
    assert "at least one country" in form.errors["remote_countries"][0]
    form = bound(workplace="remote", remote_countries=["US", "MX"])
    assert form.is_valid(), form.errors
    assert save(form).remote_countries == ["US", "MX"]


def test_a_closing_date_in_the_past_is_refused() -> None:
    form = bound(valid_through="2020-01-01")
    assert not form.is_valid()
    assert "after today" in form.errors["valid_through"][0]


def test_script_in_the_description_is_neutralised() -> None:
    evil = (
        'Hello <script>alert("x")</script><img src=x onerror=alert(1)> '
        '[click](javascript:alert(1)) <a href="https://ok.example.com" onclick="x()">ok</a>'
    )
    form = bound(description=evil)
    assert form.is_valid(), form.errors
    html = save(form).description_html
    for bad in ["<script", "onerror", "javascript:", "onclick", "<img"]:
        assert bad not in html
    assert 'href="https://ok.example.com"' in html
