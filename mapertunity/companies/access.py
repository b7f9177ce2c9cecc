"""Who counts as an employer: the one place the rule lives, for views, APIs and templates."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from mapertunity.accounts.models import User

from .models import Membership


def is_employer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A member of at least one company: may post jobs for it."""
    return user.is_authenticated and Membership.objects.filter(user_id=user.pk).exists()


def is_verified_employer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A company member whose own email address is confirmed: may search candidates."""
    return isinstance(user, User) and is_employer(user) and user.has_verified_email
