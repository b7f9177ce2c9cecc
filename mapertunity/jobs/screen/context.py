"""Postings for the screen, with what its rules compare them with looked up.

The rules are pure; this module reads the database for them: which verified company a
name imitates, which other company already posted the same text, and where a verified
company is. ``posting_for_job`` serves the posting flow; ``posting_from_record`` the
JSON Lines that ``manage.py screen_jobs`` reads.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import timezone

from mapertunity.companies.models import Company, name_key
from mapertunity.core.domains import same_organisation, website_domain
from mapertunity.core.geocoding import get_geocoder
from mapertunity.core.money import PERIODS_PER_YEAR, to_major

from ..models import Job
from ..similarity import copied_text, text_key, title_key
from .rules import Posting

LOOKALIKE = 0.88
"""Name resemblance (difflib ratio of the core names) from which a name imitates another."""
COMPARE_WITH = (Job.Status.PUBLISHED, Job.Status.PENDING, Job.Status.HIDDEN, Job.Status.EXPIRED)
RECENT = dt.timedelta(days=180)

_LEGAL = re.compile(
    r"(?:incorporated|inc|llc|ltd|limited|plc|gmbh|sarl|sas|srl|bv|nv|ag|pty|co|corp|"
    r"corporation|company|group|holdings|intl|international)$"
)


def core_name(name: str) -> str:
    """A company's name without its legal form: "Harbor & Pine, Inc." → "harborandpine"."""
    key = name_key(name)
    for _ in range(2):
        stripped = _LEGAL.sub("", key)
        if len(stripped) < 3:
            break
        key = stripped
    return key


def lookalike_of(name: str, *, website: str = "", exclude: Company | None = None) -> str:
    """The verified company whose name ``name`` imitates, or "".

    Same name or a near miss ("Harbour & Pine Outfitters LLC" for "Harbor & Pine
    Outfitters"), unless the website shows it is the same organisation.
    """
    core = core_name(name)
    if len(core) < 4:
        return ""
    others = Company.objects.verified().filter(name_key__startswith=core[:3])
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk).exclude(
            memberships__user__memberships__company=exclude
        )
    site = website_domain(website)
    for other in others.only("name", "website", "verified_domain")[:500]:
        theirs = other.verified_domain or other.website_domain
        if site and same_organisation(site, theirs):
            continue
        ratio = difflib.SequenceMatcher(None, core, core_name(other.name)).ratio()
        if ratio >= LOOKALIKE:
            return other.name
    return ""


def copied_from(
    *, title: str, description: str, company_name: str, exclude: Job | None = None
) -> list[str]:
    """Names of other companies with a recent posting of the same text."""
    since = timezone.now() - RECENT
    candidates = Job.objects.filter(
        Q(text_key=text_key(description)) | Q(title_key=title_key(title)),
        status__in=COMPARE_WITH,
        created_at__gte=since,
    ).select_related("company")
    if exclude is not None:
        candidates = candidates.exclude(company_id=exclude.company_id).exclude(pk=exclude.pk)
    own = name_key(company_name)
    names = []
    for other in candidates.only("description", "company__name")[:200]:
        if other.company.name_key != own and copied_text(description, other.description):
            names.append(other.company.name)
    return list(dict.fromkeys(names))


def posting_for_job(job: Job) -> Posting:
    company = job.company
    located = company.is_verified and company.hq_lat is not None
    return Posting(
        title=job.title,
        company=company.name,
        description=job.description,
        pay_min=to_major(job.salary_min, job.salary_currency),
        pay_max=to_major(job.salary_max, job.salary_currency),
        currency=job.salary_currency,
        period=job.salary_period,
        city=job.city,
        country=job.country,
        company_website=company.website,
        lat=job.lat,
        lng=job.lng,
        company_lat=company.hq_lat if located else None,
        company_lng=company.hq_lng if located else None,
        duplicate_of=tuple(
            copied_from(
                title=job.title,
                description=job.description,
                company_name=company.name,
                exclude=job,
            )
        ),
        lookalike_of=lookalike_of(company.name, website=company.website, exclude=company),
    )


# -- JSON Lines records ------------------------------------------------------------------


class RecordError(ValueError):
    """A record the screen can't read, with the reason."""


def _text(record: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise RecordError(f"“{key}” must be a non-empty string")
    return value.strip()


def _amount(record: Mapping[str, Any], key: str) -> Decimal:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(f"“{key}” must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise RecordError(f"“{key}” must be a number") from error
    if not amount.is_finite():
        raise RecordError(f"“{key}” must be a number")
    return amount


def _where(city: str, country: str) -> tuple[float | None, float | None]:
    if not city:
        return None, None
    place = get_geocoder().geocode(f"{city}, {country}" if country else city)
    return (place.lat, place.lng) if place is not None else (None, None)


def posting_from_record(
    record: Mapping[str, Any], earlier: Sequence[Posting] = (), *, site: bool = True
) -> Posting:
    """A posting from one JSON object; ``earlier`` are the ones read before it, so a text
    repeated under another company's name in the same file counts as copied.

    Besides the documented fields, ``company_city`` and ``company_country`` may give the
    company's verified location; otherwise a verified company of that name on the site
    supplies it. With ``site`` false the site's database is not read at all: copies and
    look-alikes are then only found within the file.
    """
    if not isinstance(record, Mapping):
        raise RecordError("each line must be a JSON object")
    title, company_name = _text(record, "title"), _text(record, "company")
    description = _text(record, "description")
    period = _text(record, "period").lower()
    if period not in PERIODS_PER_YEAR:
        raise RecordError(f"“period” must be one of {', '.join(PERIODS_PER_YEAR)}")
    city, country = _text(record, "city", required=False), _text(record, "country")
    website = _text(record, "company_website", required=False)
    known = Company.objects.verified().named(company_name).first() if site else None
    if not website and known is not None:
        website = known.website
    company_city = _text(record, "company_city", required=False)
    if company_city:
        company_lat, company_lng = _where(
            company_city, _text(record, "company_country", required=False)
        )
    else:
        company_lat, company_lng = (known.hq_lat, known.hq_lng) if known else (None, None)
    lat, lng = _where(city, country)
    own = name_key(company_name)
    copied = [
        other.company
        for other in earlier
        if name_key(other.company) != own and copied_text(description, other.description)
    ]
    if site:
        copied += copied_from(title=title, description=description, company_name=company_name)
    return Posting(
        title=title,
        company=company_name,
        description=description,
        pay_min=_amount(record, "pay_min"),
        pay_max=_amount(record, "pay_max"),
        currency=_text(record, "currency").upper(),
        period=period,
        city=city,
        country=country.upper(),
        contact_email=_text(record, "contact_email", required=False),
        company_website=website,
        lat=lat,
        lng=lng,
        company_lat=company_lat,
        company_lng=company_lng,
        duplicate_of=tuple(dict.fromkeys(copied)),
        lookalike_of="" if known or not site else lookalike_of(company_name, website=website),
    )
