"""Who counts as an employer: the one place the rule lives, for views, APIs and templates."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from mapertunity.accounts.models import User

from .models import Membership

_VERIFIED_COMPANY = Q(company__domain_verified_at__isnull=False) | Q(
    company__staff_verified_at__isnull=False
)


def is_employer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A member of at least one company: may post jobs for it."""
    return user.is_authenticated and Membership.objects.filter(user_id=user.pk).exists()


def is_verified_employer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """May see candidates: a member, with a confirmed email address, of a verified company
    (its website's domain proved, or approved by staff).

    A confirmed address and a self-declared company are not enough: anyone can make both
    in a minute, and candidates' profiles and resumes are what a scammer wants.
    """
    return (
        isinstance(user, User)
        and user.has_verified_email
        and Membership.objects.filter(_VERIFIED_COMPANY, user_id=user.pk).exists()
    )
