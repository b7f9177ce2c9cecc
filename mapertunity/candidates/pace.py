"""How fast one employer account may open candidates' profiles and resumes.

A person reading profiles opens a few a minute at most; a script opens hundreds. The
limits (``CANDIDATE_PROFILES_PER_HOUR``, ``RESUME_DOWNLOADS_PER_HOUR``) count per
account in the shared cache; opening the same profile again within the hour is free.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from mapertunity.accounts.models import User
from mapertunity.core.ratelimit import allow

from .models import CandidateProfile

HOUR = 3600


def may_open_profile(user: User, profile: CandidateProfile) -> bool:
    """Count one look at an employers-only profile; False past the hourly limit."""
    seen = f"profile-seen:{user.pk}:{profile.pk}"
    if cache.get(seen):
        return True
    if not allow(
        "candidate-profiles",
        str(user.pk),
        limit=settings.CANDIDATE_PROFILES_PER_HOUR,
        window_seconds=HOUR,
    ):
        return False
    cache.set(seen, 1, timeout=HOUR)
    return True


def may_download_resume(user: User) -> bool:
    """Count one resume download by someone other than its owner."""
    return allow(
        "resume-downloads",
        str(user.pk),
        limit=settings.RESUME_DOWNLOADS_PER_HOUR,
        window_seconds=HOUR,
    )
