"""``manage.py seed_demo``: the invented data a fresh site starts with."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import zipcodes
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company, Membership
from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.core.markdown import render_markdown
from mapertunity.demo.jobs.load import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    EMPLOYER_EMAIL,
    EMPLOYER_PASSWORD,
)
from mapertunity.demo.jobs.sites import city_radius_km
from mapertunity.geo.distance import haversine_km
from mapertunity.geo.gazetteer import continent_for_country, currency_for_country, get_gazetteer
from mapertunity.geo.morton import morton_key
from mapertunity.jobs import search
from mapertunity.jobs.models import Job

INHABITED_CONTINENTS = {"AF", "AS", "EU", "NA", "OC", "SA"}


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def job_digest() -> str:
    rows = Job.objects.order_by("pk").values_list(
        "pk", "title", "city", "country", "salary_min", "salary_max", "salary_currency",
        "status", "posted_at", "updated_at", "company__slug",
    )  # fmt: skip
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def first_jobs(n: int = 50) -> list[tuple[Any, ...]]:
    return list(
        Job.objects.order_by("pk").values_list(
            "title", "city", "country", "salary_min", "salary_max", "salary_currency",
            "salary_period", "workplace", "employment_type", "description", "company__name",
            "lat", "lng", "street_address", "postal_code",
        )[:n]
    )  # fmt: skip


def seed_in_rolled_back_transaction(**options: Any) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Seed, look, then roll back, so the next call starts from the same empty database."""
    with transaction.atomic():
        seed(**options)
        snapshot = first_jobs(), list(Company.objects.order_by("pk").values_list("name", flat=True))
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture(scope="class")
def default_run(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    # The full-size run takes a few seconds, so its tests share one run and clean up after.
    with django_db_blocker.unblock():
        output = seed()
        yield output
        # The run committed outside any test transaction: empty every table again, the
        # keyword index too (PostgreSQL's flush truncates, which fires no row triggers).
        call_command("flush", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.backend().TABLE}")


@pytest.mark.django_db
@pytest.mark.usefixtures("default_run")
class TestTheDefaultRun:
    def test_it_publishes_at_least_2000_live_jobs(self) -> None:
        assert Job.objects.published().count() >= 2000

    def test_it_spreads_the_jobs_over_at_least_300_places(self) -> None:
        places = set(Job.objects.published().values_list("city", "country"))
        assert len(places) >= 300

    def test_it_covers_every_inhabited_continent(self) -> None:
        countries = set(Job.objects.published().values_list("country", flat=True))
        assert {continent_for_country(code) for code in countries} == INHABITED_CONTINENTS

    def test_no_single_city_takes_a_big_share(self) -> None:
        counts = Counter(Job.objects.published().values_list("city", "country"))
        assert max(counts.values()) < 0.05 * sum(counts.values())

    def test_it_makes_about_150_invented_companies_on_example_domains(self) -> None:
        companies = list(Company.objects.all())
        assert 140 <= len(companies) <= 160
        assert len({c.name for c in companies}) == len(companies)
        for company in companies:
            assert company.website == f"https://{company.slug}.example.com"
            assert company.description
            assert company.hq_city and company.hq_country and company.hq_lat is not None

    def test_every_job_has_a_pay_range_in_its_countrys_currency(self) -> None:
        for job in Job.objects.all():
            assert 0 < job.salary_min <= job.salary_max, job
            assert job.salary_currency == currency_for_country(job.country), job

    def test_published_jobs_were_posted_lately_and_stay_live_for_30_days(self) -> None:
        now = timezone.now()
        for job in Job.objects.published():
            assert now - dt.timedelta(days=26) < job.posted_at <= now
            assert job.valid_through - job.posted_at == dt.timedelta(days=30)

    def test_it_fills_the_columns_that_save_would_have_filled(self) -> None:
        for job in list(Job.objects.order_by("pk"))[::60]:
            assert job.slug == slugify(job.title)
            assert job.description_html == render_markdown(job.description)
            assert job.morton_key == morton_key(job.lat, job.lng)

    def test_descriptions_have_an_intro_two_lists_and_a_pay_line(self) -> None:
        descriptions = list(Job.objects.values_list("description", flat=True))
        for text in descriptions[:200]:
            assert "## What you'll do" in text
            assert "## What we're looking for" in text
            assert "**Pay" in text
        assert len(set(descriptions)) == len(descriptions)

    def test_it_mixes_kinds_of_work_mostly_full_time_and_on_site(self) -> None:
        types = Counter(Job.objects.values_list("employment_type", flat=True))
        places = Counter(Job.objects.values_list("workplace", flat=True))
        assert set(types) == set(EmploymentType.values)
        assert types.most_common(1)[0][0] == EmploymentType.FULL_TIME
        assert places[Workplace.ONSITE] > places[Workplace.HYBRID] > places[Workplace.REMOTE] > 0
        assert len(set(Job.objects.values_list("title", flat=True))) >= 150

    def test_jobs_sit_at_street_level_sites_spread_over_their_city(self) -> None:
        gazetteer = get_gazetteer()
        jobs = list(Job.objects.published())
        points = Counter((job.lat, job.lng) for job in jobs)
        assert len(points) >= 0.85 * len(jobs)
        on_a_centre = 0
        for job in jobs[::10]:
            place = gazetteer.geocode(f"{job.city}, {job.country}")
            assert place is not None, job.city
            km = haversine_km(place.lat, place.lng, job.lat, job.lng)
            assert km <= city_radius_km(place.population) + 0.6, (job.city, km)
            on_a_centre += km < 0.05
        assert on_a_centre <= 0.02 * len(jobs[::10])

    def test_some_companies_have_several_openings_in_one_building(self) -> None:
        rows = Job.objects.published().values_list("company_id", "lat", "lng", "street_address")
        buildings = Counter(rows)
        shared = [key for key, n in buildings.items() if n >= 2]
        assert len(shared) >= 50
        # A building is one company's: nobody else's job is at exactly that point.
        companies_at = Counter((lat, lng) for _, lat, lng, _ in buildings)
        assert sum(1 for n in companies_at.values() if n > 1) <= 0.01 * len(companies_at)

    def test_jobs_have_plausible_addresses_and_us_zips(self) -> None:
        jobs = list(Job.objects.published())
        with_address = [job for job in jobs if job.street_address]
        assert len(with_address) >= 0.6 * len(jobs)
        assert all(any(ch.isdigit() for ch in job.street_address) for job in with_address)
        us = [job for job in jobs if job.country == "US"]
        assert us
        for job in us:
            assert job.street_address and len(job.postal_code) == 5, job
            (row,) = zipcodes.matching(job.postal_code)
            assert row["state"] == job.region
            assert haversine_km(float(row["lat"]), float(row["long"]), job.lat, job.lng) < 30

    def test_remote_jobs_name_one_to_three_countries_and_others_none(self) -> None:
        for workplace, countries in Job.objects.values_list("workplace", "remote_countries"):
            if workplace == Workplace.REMOTE:
                assert 1 <= len(countries) <= 3
            else:
                assert countries == []

    def test_the_demo_employer_can_log_in_and_owns_published_draft_and_closed_jobs(
        self, client: Client
    ) -> None:
        assert client.login(email=EMPLOYER_EMAIL, password=EMPLOYER_PASSWORD)
        employer = User.objects.get(email=EMPLOYER_EMAIL)
        assert Membership.objects.get(user=employer).role == Membership.Role.OWNER
        statuses = Counter(Job.objects.for_employer(employer).values_list("status", flat=True))
        assert statuses[Job.Status.PUBLISHED] >= 3
        assert statuses[Job.Status.DRAFT] == 1
        assert statuses[Job.Status.CLOSED] == 1

    def test_the_demo_company_used_its_free_posting_and_has_credits_left(self) -> None:
        from mapertunity.billing import actions as billing
        from mapertunity.billing.models import Movement

        employer = User.objects.get(email=EMPLOYER_EMAIL)
        company = Membership.objects.get(user=employer).company
        quote = billing.quote_posting(company=company)
        assert not quote.free and quote.cost == 1 and quote.balance >= 3
        kinds = Counter(Movement.objects.for_company(company.pk).values_list("kind", flat=True))
        assert kinds["free"] == 1 and kinds["grant"] == 1 and kinds["spend"] >= 2
        # Every other demo company has had its free posting too.
        assert Movement.objects.filter(kind="free").count() == Company.objects.count()

    def test_the_staff_account_is_a_staff_superuser(self, client: Client) -> None:
        admin = User.objects.get(email=ADMIN_EMAIL)
        assert admin.is_staff and admin.is_superuser
        assert client.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)

    def test_both_demo_emails_are_verified_and_primary(self) -> None:
        for email in (EMPLOYER_EMAIL, ADMIN_EMAIL):
            address = EmailAddress.objects.get(email=email)
            assert address.verified and address.primary

    def test_it_prints_a_summary(self, default_run: str) -> None:
        assert "Loaded 150 companies" in default_run
        assert "6 continents" in default_run

    def test_running_it_again_changes_nothing(self) -> None:
        before = (Company.objects.count(), User.objects.count(), job_digest())
        output = seed()
        assert "already loaded" in output
        assert (Company.objects.count(), User.objects.count(), job_digest()) == before


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_in_a_fresh_database() -> None:
    first = seed_in_rolled_back_transaction(seed=7, jobs=150, companies=12)
    assert not Job.objects.exists()
    second = seed_in_rolled_back_transaction(seed=7, jobs=150, companies=12)
    assert first == second
    assert len(first[0]) == 50


@pytest.mark.django_db
def test_a_different_seed_gives_different_data() -> None:
    first = seed_in_rolled_back_transaction(seed=7, jobs=60, companies=8)
    second = seed_in_rolled_back_transaction(seed=8, jobs=60, companies=8)
    assert first != second


@pytest.mark.django_db
def test_a_small_run_makes_what_it_was_asked_for_on_every_continent() -> None:
    seed(jobs=60, companies=8)
    assert Company.objects.count() == 8
    demo_jobs = Job.objects.filter(company__slug="harbor-pine-outfitters").count()
    assert Job.objects.count() == 60 + demo_jobs
    countries = set(Job.objects.values_list("country", flat=True))
    assert {continent_for_country(code) for code in countries} == INHABITED_CONTINENTS


@pytest.mark.django_db
def test_a_failed_run_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Job.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        seed(jobs=30, companies=4)
    assert not User.objects.exists()
    assert not Company.objects.exists()
    assert not EmailAddress.objects.exists()


@pytest.mark.django_db
def test_it_keeps_an_existing_admin_account_as_it_is() -> None:
    User.objects.create_user(ADMIN_EMAIL, "their-own-password")
    output = seed(jobs=30, companies=4)
    assert "already existed" in output
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.check_password("their-own-password") and not admin.is_staff


@pytest.mark.django_db
def test_it_rejects_fewer_than_two_companies() -> None:
    with pytest.raises(CommandError):
        seed(jobs=10, companies=1)
    assert not Job.objects.exists()
