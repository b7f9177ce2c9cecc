"""schema.org JobPosting for search engines (Google's required and recommended fields)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from mapertunity.core.choices import EmploymentType, Workplace
from mapertunity.core.jsonld import json_ld
from mapertunity.core.links import absolute_url

from .models import Job

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.INTERNSHIP: "INTERN",
}


def job_posting(job: Job, request: HttpRequest) -> dict[str, Any]:
    url = absolute_url(job.get_absolute_url())
    organization: dict[str, Any] = {"@type": "Organization", "name": job.company.name}
    if job.company.website:
        organization["sameAs"] = job.company.website
    if job.company.logo:
        organization["logo"] = absolute_url(job.company.logo.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description_html or strip_tags(job.description),
        "identifier": {"@type": "PropertyValue", "name": job.company.name, "value": str(job.pk)},
        "url": url,
        "datePosted": (job.posted_at or job.created_at).date().isoformat(),
        "validThrough": job.valid_through.isoformat(),
        "employmentType": EMPLOYMENT_TYPES[EmploymentType(job.employment_type)],
        "hiringOrganization": organization,
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": job.salary_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(job.salary_min_major),
                "maxValue": float(job.salary_max_major),
                "unitText": job.salary_period.upper(),
            },
        },
        # Every live job takes applications on its own page, in one form.
        "directApply": True,
    }
    if job.workplace == Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = [
            {"@type": "Country", "name": code} for code in job.remote_countries
        ]
    else:
        address = {
            "@type": "PostalAddress",
            "streetAddress": job.street_address,
            "addressLocality": job.city,
            "addressRegion": job.region,
            "postalCode": job.postal_code,
            "addressCountry": job.country,
        }
        data["jobLocation"] = {
            "@type": "Place",
            "address": {key: value for key, value in address.items() if value},
            "geo": {"@type": "GeoCoordinates", "latitude": job.lat, "longitude": job.lng},
        }
    return data


def job_posting_json_ld(job: Job, request: HttpRequest) -> SafeString:
    """The JobPosting as text that is safe inside <script type="application/ld+json">."""
    return json_ld(job_posting(job, request))
