"""Token workflows: create (the secret is returned once), revoke, and check a presented one.

A token reads ``mpt_<prefix>_<secret>``: the prefix finds the row, and the SHA-256 digest
of the whole token is compared in constant time. The secret has 256 bits of entropy, so a
plain hash is enough (no slow password hash needed: nobody can guess it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company, Membership

from .models import ApiToken

TOKEN_PREFIX = "mpt_"
MAX_TOKENS = 20
"""Active tokens one person may hold; enough for every system they connect."""
LAST_USED_EVERY = dt.timedelta(minutes=1)
"""``last_used_at`` is written at most this often, not on every request."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, company: Company, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret text, which is never stored and can't be shown again."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError("Name the token after the system that will use it.", code="name")
    if not Membership.objects.filter(user=user, company=company).exists():
        raise ValidationError("You are not a member of that company.", code="company")
    if ApiToken.objects.for_user(user.pk).active().count() >= MAX_TOKENS:
        raise ValidationError(
            f"You have {MAX_TOKENS} tokens already; revoke one you no longer use.", code="many"
        )
    if scope not in ApiToken.Scope.values:
        raise ValidationError("Choose read only, or read and write.", code="scope")
    prefix = secrets.token_hex(6)
    text = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, company=company, name=name, scope=scope, prefix=prefix, digest=digest(text)
    )
    return token, text


def revoke_token(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """It stops working at once; the row stays so its owner sees when it was revoked."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])


def check_token(text: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token ``text`` is, with its user and company; None for anything else."""
    if not text.startswith(TOKEN_PREFIX) or len(text) > 200:
        return None
    prefix, _, secret = text[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user", "company")
        .filter(prefix=prefix, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest(text)):
        return None
    if not Membership.objects.filter(user_id=token.user_id, company_id=token.company_id).exists():
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
