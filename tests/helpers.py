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


def verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def make_candidate(
    handle: str | None = None,
    *,
    lat: float = 30.2672,
    lng: float = -97.7431,
    verified: bool = True,
    skills: tuple[str, ...] = (),
    **fields: Any,
) -> Any:
    """A finished, confirmed candidate visible to employers, living in Austin by default."""
    from mapertunity.candidates.actions import _skills
    from mapertunity.candidates.models import CandidateProfile

    n = next(_serial)
    handle = handle or f"candidate-{n}"
    user = User.objects.create_user(
        f"{handle}@people.example.org",
        "correct-horse-battery",
        first_name="Sam",
        last_name=f"Rivera {n}",
        handle=handle,
    )
    if verified:
        verify_email(user)
    defaults: dict[str, Any] = {
        "headline": "Line cook",
        "completed_at": timezone.now(),
        "visibility": CandidateProfile.Visibility.EMPLOYERS,
    }
    defaults.update(fields)
    profile = CandidateProfile(user=user, **defaults)
    profile.set_home(label="Home", lat=lat, lng=lng, city="Austin", country="US")
    profile.save()
    if skills:
        profile.skills.set(_skills(list(skills)))
    return profile


def with_mfa(user: User) -> User:
    """Give a user a TOTP authenticator, as staff must have to open the admin."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
