"""Job workflows: posting, editing, publishing, closing and expiring jobs.

Views hand these functions validated values (never forms); each runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from mapertunity.core.ratelimit import allow
from mapertunity.geo.gazetteer import Place

from .models import Job


@dataclass(frozen=True)
class JobDetails:
    """What an employer says about a job; pay in minor units of ``salary_currency``."""

    title: str
    description: str
    place: Place
    workplace: str
    employment_type: str
    salary_min: int
    salary_max: int
    salary_currency: str
    salary_period: str
    valid_through: dt.datetime
    street_address: str = ""
    postal_code: str = ""
    remote_countries: list[str] = field(default_factory=list)


class PlaceChangeLimit(ValidationError):
    """The job's place was changed too often today."""


def _apply(job: Job, details: JobDetails) -> None:
    job.title, job.description = details.title, details.description
    place = details.place
    job.lat, job.lng = place.lat, place.lng
    job.city, job.region, job.country = place.name, place.region, place.country_code
    job.street_address = details.street_address
    job.postal_code = details.postal_code or place.postal_code or ""
    job.workplace, job.employment_type = details.workplace, details.employment_type
    job.remote_countries = list(details.remote_countries)
    job.salary_min, job.salary_max = details.salary_min, details.salary_max
    job.salary_currency, job.salary_period = details.salary_currency, details.salary_period
    job.valid_through = details.valid_through


def post_job(
    *, company: Company, author: User | None, details: JobDetails, publish: bool = False
) -> Job:
    """A new job for ``company``, saved as a draft or published at once."""
    job = Job(company=company, created_by=author)
    _apply(job, details)
    with transaction.atomic():
        job.save()
        if publish:
            job.publish()
    return job


def update_job(*, job: Job, details: JobDetails) -> Job:
    """Save an employer's edits.

    Moving a job is rate limited (``JOB_PLACE_CHANGES_PER_DAY``): answers about who lives
    near a job must not be sampled at many places to home in on a person. Those answers
    depend only on public points already, so this is a second line of defence.
    """
    moved = (round(details.place.lat, 7), round(details.place.lng, 7)) != (
        round(job.lat, 7),
        round(job.lng, 7),
    )
    if moved and not allow(
        "job-place",
        str(job.pk),
        limit=settings.JOB_PLACE_CHANGES_PER_DAY,
        window_seconds=24 * 3600,
    ):
        raise PlaceChangeLimit(
            f"This job's place can change at most {settings.JOB_PLACE_CHANGES_PER_DAY} "
            "times a day. Keep the current place, or try again tomorrow.",
            code="place_changes",
        )
    _apply(job, details)
    with transaction.atomic():
        job.save()
    return job


def publish(*, job: Job) -> Job:
    with transaction.atomic():
        job.publish()
    return job


def close(*, job: Job) -> Job:
    with transaction.atomic():
        job.close()
    return job


def expire_due_jobs(*, now: dt.datetime | None = None) -> int:
    """Mark published jobs past their closing date as expired; how many changed.

    One conditional UPDATE: running it twice, or in two workers at once, changes nothing
    the second time.
    """
    now = now or timezone.now()
    return Job.objects.filter(status=Job.Status.PUBLISHED, valid_through__lte=now).update(
        status=Job.Status.EXPIRED, updated_at=now
    )
