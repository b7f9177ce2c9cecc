"""Small factories for the suite's data."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company, Membership
from mapertunity.jobs.models import Job

_serial = itertools.count(1)


def make_company(owner: User | None = None, **fields: Any) -> Company:
    n = next(_serial)
    fields.setdefault("name", f"Company {n}")
    fields.setdefault("slug", f"company-{n}")
    company = Company.objects.create(**fields)
    if owner is not None:
        Membership.objects.create(company=company, user=owner)
    return company


def make_job(company: Company | None = None, **fields: Any) -> Job:
    """A published, live job in Austin unless told otherwise."""
    now = timezone.now()
    defaults: dict[str, Any] = {
        "title": "Warehouse Lead",
        "description": "Run the **night shift**.",
        "lat": 30.2672,
        "lng": -97.7431,
        "city": "Austin",
        "region": "TX",
        "country": "US",
        "salary_min": 5_000_000,
        "salary_max": 6_500_000,
        "salary_currency": "USD",
        "salary_period": "year",
        "status": Job.Status.PUBLISHED,
        "posted_at": now - dt.timedelta(days=1),
        "valid_through": now + dt.timedelta(days=29),
    }
    defaults.update(fields)
    return Job.objects.create(company=company or make_company(), **defaults)
