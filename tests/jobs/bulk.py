"""A bulk load straight into jobs_job, as an import script would do it: one statement,
every trigger (search, map change log) in place."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from mapertunity.companies.models import Company

COLUMNS = (
    "title, slug, description, description_html, lat, lng, city, region, country, "
    "street_address, postal_code, morton_key, workplace, remote_countries, employment_type, "
    "salary_min, salary_max, salary_currency, salary_period, status, posted_at, valid_through, "
    "created_at, updated_at, company_id, pay_usd_year, review_note, review_reasons, "
    "title_key, text_key"
)


def bulk_load(company: Company, n: int) -> None:
    """``n`` live jobs spread over a grid between 60°S and 70°N.

    ``morton_key`` is left 0: the map index computes keys from the positions itself.
    """
    now = timezone.now()
    params = [now - dt.timedelta(days=1), now + dt.timedelta(days=30), now, now, company.pk]
    values = (
        "'Bulk job', 'bulk-job', 'Loaded in bulk.', '<p>Loaded in bulk.</p>', "
        "ROUND(-60 + (i %% 1300) * 0.1, 7), ROUND(-179 + (i / 1300) * 0.0155, 7), "
        "'Bulk', '', 'US', '', '', 0, 'onsite', '[]', 'full_time', "
        "5000000, 6000000, 'USD', 'year', 'published', %s, %s, %s, %s, %s, 60000, "
        "'', '[]', 'bulk job', ''"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO jobs_job ({COLUMNS}) SELECT {values} "
                f"FROM generate_series(0, {n - 1}) AS i",
                params,
            )
        else:
            cursor.execute(
                f"WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq "
                f"WHERE i < {n - 1}) INSERT INTO jobs_job ({COLUMNS}) SELECT {values} FROM seq",
                params,
            )
