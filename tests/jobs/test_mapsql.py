"""The map's answers from SQL, before a process has its index: the index's numbers, under a
time limit."""

from __future__ import annotations

import pytest
from django.db import connection

from mapertunity.jobs import mapindex, mapsql
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job
from tests.helpers import make_company, make_job

pytestmark = pytest.mark.django_db
WORLD = (-180.0, -85.0, 180.0, 85.0)


def filters(**params: object):
    form = JobFilterForm(params)
    assert form.is_valid(), form.errors
    return form.filters()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "nurse"},
        {"type": ["contract"]},
        {"near": "Berlin", "radius_km": 100},
        {"remote_for": "FR"},
        {"near": "Paris", "sort": "distance", "salary_min": "10"},
    ],
)
def test_sql_clusters_count_what_the_index_counts(params: dict) -> None:
    company = make_company()
    for i in range(12):
        make_job(company, title="Nurse" if i % 2 else "Driver", lat=52.5 + i * 0.01, lng=13.4)
        make_job(company, lat=48.85, lng=2.35 + i * 0.01, employment_type="contract")
    make_job(company, workplace="remote", remote_countries=["DE", "FR"], lat=37.77, lng=-122.42)
    wanted = filters(**params)
    for zoom in (2, 8, 16):
        result = mapsql.query_sql(WORLD, zoom, wanted)
        index = mapindex.query_jobs(*WORLD, zoom, wanted)
        assert result.total == index.total == mapsql.count_in_box(WORLD, wanted)
        assert int(result.arrays["count"].sum()) == result.total


def test_a_query_past_the_time_limit_is_stopped_not_waited_for() -> None:
    slow = (
        "SELECT pg_sleep(2)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000)"
        " SELECT COUNT(*) FROM n"
    )
    with pytest.raises(mapsql.TooSlow), mapsql.time_limit(0.05), connection.cursor() as cursor:
        cursor.execute(slow)
    # The connection is still usable afterwards.
    assert Job.objects.count() == 0
