"""A candidate's own profile as a JSON Resume (https://jsonresume.org/schema, v1.0.0).

Only what the candidate told us about themselves: name, headline, contact details, the
city they live in (never the exact home), summary, skills and what they're looking for.
"""

from __future__ import annotations

from typing import Any

from mapertunity.core.links import absolute_url
from mapertunity.core.money import to_major
from mapertunity.geo.gazetteer import country_name

from .models import CandidateProfile

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def json_resume(profile: CandidateProfile) -> dict[str, Any]:
    user = profile.user
    location: dict[str, Any] = {}
    if profile.home_city:
        location["city"] = profile.home_city
    if profile.home_country:
        location["countryCode"] = profile.home_country.upper()
    basics: dict[str, Any] = {
        "name": user.get_full_name() or user.display_name,
        "label": profile.headline,
        "email": user.email,
        "url": absolute_url(profile.get_absolute_url()),
        "summary": profile.summary,
        "location": location,
        "profiles": [],
    }
    if profile.phone:
        basics["phone"] = profile.phone
    skills = [{"name": s.name, "keywords": []} for s in profile.skills.order_by("name")]
    interests = []
    if profile.desired_roles:
        roles = [r.strip() for r in profile.desired_roles.split(",") if r.strip()]
        interests.append({"name": "Roles I'm looking for", "keywords": roles})
    looking = [*profile.workplaces_display, *profile.employment_types_display]
    if profile.desired_pay_min:
        amount = to_major(profile.desired_pay_min, profile.desired_currency)
        looking.append(
            f"from {amount:,.0f} {profile.desired_currency} per {profile.desired_period}"
        )
    if profile.open_to_relocation:
        looking.append("open to relocation")
    if looking:
        interests.append({"name": "How I'd like to work", "keywords": looking})
    resume: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": [],
        "education": [],
        "skills": skills,
        "interests": interests,
        "meta": {
            "canonical": absolute_url(profile.get_absolute_url()),
            "version": "v1.0.0",
            "lastModified": profile.updated_at.strftime("%Y-%m-%dT%H:%M:%S"),
        },
    }
    if profile.years_experience is not None:
        basics["yearsOfExperience"] = profile.years_experience  # basics allows extra keys
    if profile.home_country and (name := country_name(profile.home_country)):
        location["region"] = location.get("region", "") or name
    return resume
