"""The one filter form: what each parameter means, and clear errors for bad ones."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client

from mapertunity.core.money import annual_usd, pay_floor_usd
from mapertunity.jobs import search
from mapertunity.jobs.filters import JobFilterForm, JobFilters, Sort, filters_from_query
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db


def filters(query: str) -> JobFilters:
    form = JobFilterForm(QueryDict(query))
    assert form.is_valid(), form.errors
    return form.filters()


def test_pay_is_compared_per_year_in_dollars_in_100_dollar_steps() -> None:
    assert annual_usd(6_000_000, "USD", "year") == 60_000
    assert annual_usd(3_000, "USD", "hour") == 62_400  # $30 × 2080 hours
    assert annual_usd(500_000, "EUR", "month") == 65_217  # €5,000 × 12 / 0.92
    assert annual_usd(1_000, "JPY", "hour") == 13_866  # no minor unit
    assert annual_usd(100, "ZWG", "year") is None  # no rate: never matches a pay filter
    assert pay_floor_usd(Decimal("60000"), "USD", "year") == 60_000
    assert pay_floor_usd(Decimal("60000.01"), "USD", "year") == 60_100
    assert pay_floor_usd(Decimal("25"), "USD", "hour") == 52_000
    assert filters("salary_min=5000&currency=EUR&period=month").pay_floor_usd == 65_300
    assert filters("salary_min=50000").pay_floor_usd == 50_000  # dollars a year by default
    assert filters("salary_min=0").pay_floor_usd is None


def test_saving_a_job_stores_its_annual_pay() -> None:
    job = make_job(salary_min=2_000, salary_max=2_500, salary_currency="USD", salary_period="hour")
    assert job.pay_usd_year == 52_000
    job.salary_period = "day"
    job.save(update_fields=["salary_period"])
    job.refresh_from_db()
    assert job.pay_usd_year == 6_500


def test_posted_within_counts_whole_utc_days() -> None:
    now = dt.datetime(2026, 3, 10, 15, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        since = filters("posted_within_days=3").posted_since
    assert since == dt.datetime(2026, 3, 7, tzinfo=dt.UTC)


def test_the_form_keeps_what_was_typed_and_explains_errors() -> None:
    form = JobFilterForm(QueryDict("q=nurse&salary_min=abc&radius_km=10&sort=distance"))
    assert not form.is_valid()
    assert form["q"].value() == "nurse"
    assert "salary_min" in form.errors and "near" in form.errors and "sort" in form.errors
    assert "salary_min: Enter pay as a number" in form.error_text()


def test_a_query_without_filters_skips_the_form() -> None:
    assert filters_from_query(QueryDict("bbox=1,2,3,4&zoom=3&currency=EUR")) == (
        JobFilters(),
        None,
    )
    found, form = filters_from_query(QueryDict("type=astronaut"))
    assert found is None and "type" in form.errors


def test_the_list_keeps_filters_in_its_page_links_and_in_the_form(client: Client) -> None:
    company = make_company()
    for i in range(25):
        make_job(company, title=f"Night Nurse {i}", employment_type="part_time")
    make_job(company, title="Day Nurse", employment_type="full_time")
    response = client.get("/jobs/", {"q": "nurse", "type": "part_time"})
    html = response.content.decode()
    assert response.context["page"].paginator.count == 25
    assert "q=nurse&amp;type=part_time&amp;page=2" in html
    assert 'value="nurse"' in html
    assert 'value="part_time" id="id_type_1" checked' in html


def test_the_home_page_shows_the_filters_of_its_url(client: Client) -> None:
    make_job(title="Forklift Operator", employment_type="contract")
    make_job(title="Forklift Trainer", employment_type="full_time")
    html = client.get("/", {"q": "forklift", "type": "contract"}).content.decode()
    assert 'id="job-filters"' in html and 'value="forklift"' in html
    assert "Forklift Operator" in html and "Forklift Trainer" not in html
    bad = client.get("/", {"posted_within_days": "0"})
    assert bad.status_code == 400
    assert "Posted within must be at least 1 day" in bad.content.decode()


def test_a_job_seen_only_through_sql_writes_is_still_searchable() -> None:
    # Triggers, not Python, keep the search current: a raw write is found too.
    job = make_job(title="Boatwright")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE jobs_job SET title = %s WHERE id = %s", ["Sailmaker", job.pk])
    assert list(Job.objects.search("sailmaker").values_list("pk", flat=True)) == [job.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on rebuilds")
def test_dropped_search_triggers_are_put_back() -> None:
    job = make_job(title="Glazier")
    with connection.cursor() as cursor:
        for name in search.SQLiteFTS5.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    search.backend().ensure_installed(connection)
    job.title = "Roofer"
    job.save()
    assert list(Job.objects.search("roofer").values_list("pk", flat=True)) == [job.pk]


def test_orders_are_segments_each_newest_first() -> None:
    now = dt.datetime(2026, 5, 20, 15, 30, tzinfo=dt.UTC)
    since = dt.datetime(2026, 3, 21, tzinfo=dt.UTC)  # 60 days back, at midnight UTC
    best = JobFilters().segments(now)
    # Best match sinks jobs nobody confirmed open lately, then shows the newest.
    assert [(s.confirmed_since, s.not_confirmed_since) for s in best] == [
        (since, None),
        (None, since),
    ]
    assert {s.order_by for s in best} == {("-posted_at", "-id")}
    keywords = JobFilters(q="welder").segments(now)
    assert [(s.confirmed_since is not None, s.in_title) for s in keywords] == [
        (True, True),
        (True, False),
        (False, True),
        (False, False),
    ]
    assert [s.in_title for s in JobFilters(q="welder", sort=Sort.RELEVANCE).segments()] == [
        True,
        False,
    ]
    assert JobFilters(q="welder", sort=Sort.DATE).segments() == [
        JobFilters(q="welder", sort=Sort.DATE)
    ]


@pytest.mark.parametrize("typed", ["²", "¹²", "Ⅻ", "1e3", "", " "])
def test_odd_digits_in_posted_within_are_a_form_error_or_ignored_never_a_crash(
    client: Client, typed: str
) -> None:
    for url in ("/", "/jobs/"):
        response = client.get(url, {"posted_within_days": typed})
        assert response.status_code in (200, 400)
    form = JobFilterForm(QueryDict(f"posted_within_days={typed}"))
    assert form.is_valid() == (typed == "")


def test_digits_of_other_scripts_read_as_the_number_they_are() -> None:
    # int() and Django's IntegerField read Arabic-Indic and full-width digits alike.
    assert filters("posted_within_days=٣").posted_since is not None
    assert (
        JobFilterForm(QueryDict("posted_within_days=１２"))["posted_within_days"].value() == "１２"
    )
