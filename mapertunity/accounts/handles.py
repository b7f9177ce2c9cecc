"""Public handles ("Choose ID"): the `<id>` in a profile's address `/u/<id>/`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

HANDLE_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")

# Words that name site sections, roles or the site itself: a profile at /u/admin/ or
# /u/support/ would mislead people.
RESERVED_HANDLES = frozenset(
    [
        "about",
        "abuse",
        "account",
        "accounts",
        "admin",
        "administrator",
        "api",
        "apply",
        "applications",
        "assets",
        "auth",
        "blog",
        "candidate",
        "candidates",
        "careers",
        "company",
        "companies",
        "contact",
        "dashboard",
        "employer",
        "employers",
        "feed",
        "help",
        "home",
        "hr",
        "info",
        "jobs",
        "legal",
        "login",
        "logout",
        "mail",
        "map",
        "mapertunity",
        "me",
        "media",
        "moderator",
        "new",
        "news",
        "null",
        "official",
        "owner",
        "password",
        "privacy",
        "profile",
        "profiles",
        "recruiter",
        "register",
        "root",
        "search",
        "security",
        "settings",
        "signup",
        "sitemap",
        "staff",
        "static",
        "support",
        "system",
        "team",
        "terms",
        "u",
        "user",
        "users",
        "webmaster",
        "www",
    ]
)


def not_available(value: str) -> str:
    """The one answer for an ID someone has (hidden profiles too) or that is reserved: the
    live check says no more than this, so it can't tell a hidden profile's ID apart."""
    return f"“{value}” is not available. Please choose another."


def validate_handle_format(value: str) -> None:
    """Length, characters and reserved words; uniqueness is checked by the caller."""
    if len(value) < 3:
        raise ValidationError("Use at least 3 characters.", code="too_short")
    if len(value) > 30:
        raise ValidationError("Use at most 30 characters.", code="too_long")
    if not HANDLE_RE.match(value):
        raise ValidationError(
            "Use only letters, digits, “-” and “_” (no spaces or accents).", code="characters"
        )
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError(not_available(value), code="reserved")


def handle_taken(value: str, *, exclude_user_id: int | None = None) -> bool:
    from .models import User

    users = User.objects.filter(handle__iexact=value)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()
