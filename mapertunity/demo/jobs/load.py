"""Save the generated demo data, with its two accounts, in one transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.billing.models import Movement
from mapertunity.companies.models import Company, Membership
from mapertunity.geo.gazetteer import continent_for_country
from mapertunity.jobs.models import Job

from .generate import build_demo

EMPLOYER_EMAIL = "employer@example.com"
EMPLOYER_PASSWORD = "demo-employer-2026"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "demo-admin-2026"

DEFAULT_SEED = 2026
DEFAULT_JOBS = 2400
DEFAULT_COMPANIES = 150


@dataclass(frozen=True)
class Summary:
    companies: int
    jobs: int
    published: int
    places: int
    countries: int
    continents: list[str]
    admin_created: bool
    seconds: float


def demo_loaded() -> bool:
    """Whether a previous run loaded the demo: its employer account is the marker."""
    return User.objects.filter(email=EMPLOYER_EMAIL).exists()


DEMO_CREDITS = 10


def _ledger(
    companies: list[Company],
    demo_company: Company,
    demo_jobs: list[Job],
    employer: User,
    now: dt.datetime,
) -> list[Movement]:
    """Credits as the site would have them: every company has had its free first posting;
    the demo employer's was granted a few credits and paid for its later postings."""
    sent = sorted(
        (job for job in demo_jobs if job.status != Job.Status.DRAFT),
        key=lambda job: job.posted_at or job.created_at or now,
    )
    first_job = sent[0] if sent else None
    start = min((job.posted_at for job in sent if job.posted_at), default=now)
    movements = [
        Movement(
            company=company,
            kind=Movement.Kind.FREE,
            credits=0,
            job=first_job if company is demo_company else None,
            created_at=start if company is demo_company else now,
        )
        for company in companies
    ]
    movements.append(
        Movement(
            company=demo_company,
            kind=Movement.Kind.GRANT,
            credits=DEMO_CREDITS,
            reason="Welcome credits for the demo",
            created_at=start,
        )
    )
    movements += [
        Movement(
            company=demo_company,
            kind=Movement.Kind.SPEND,
            credits=-1,
            job=job,
            by=employer,
            created_at=job.posted_at or start,
        )
        for job in sent[1:]
    ]
    return movements


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    jobs: int = DEFAULT_JOBS,
    companies: int = DEFAULT_COMPANIES,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Create the demo accounts, companies and jobs; all or nothing."""
    started = time.perf_counter()
    now = now or timezone.now()
    progress(f"Generating {companies} companies and {jobs} jobs from seed {seed} ...")
    data = build_demo(
        seed=seed,
        jobs=jobs,
        companies=companies,
        now=now,
        taken_slugs=set(Company.objects.values_list("slug", flat=True)),
        progress=progress,
    )
    progress(f"Generated in {time.perf_counter() - started:.1f}s; saving ...")
    with transaction.atomic():
        employer = User.objects.create_user(
            EMPLOYER_EMAIL, EMPLOYER_PASSWORD, first_name="Robin", last_name="Alder"
        )
        verified = [employer]
        # Someone may have made this account by hand; theirs wins and keeps its password.
        admin_created = not User.objects.filter(email=ADMIN_EMAIL).exists()
        if admin_created:
            verified.append(User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD))
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in verified
        )
        for company in data.companies:
            # Demo companies are long-standing and checked by staff: verified, past review.
            company.fill_derived()
            company.staff_verified_at = company.postings_approved_at = now
        Company.objects.bulk_create(data.companies)
        Membership.objects.create(
            company=data.demo_company, user=employer, role=Membership.Role.OWNER
        )
        for job in data.demo_jobs:
            job.created_by = employer
        all_jobs = [*data.jobs, *data.demo_jobs]
        for job in all_jobs:
            job.fill_derived()  # bulk_create skips save(), which would do this
        Job.objects.bulk_create(all_jobs, batch_size=500)
        Movement.objects.bulk_create(
            _ledger(data.companies, data.demo_company, data.demo_jobs, employer, now),
            batch_size=500,
        )

    published = [job for job in all_jobs if job.status == Job.Status.PUBLISHED]
    return Summary(
        companies=len(data.companies),
        jobs=len(all_jobs),
        published=len(published),
        places=len({(job.city, job.country) for job in published}),
        countries=len({job.country for job in published}),
        continents=sorted({continent_for_country(job.country) for job in published}),
        admin_created=admin_created,
        seconds=time.perf_counter() - started,
    )
