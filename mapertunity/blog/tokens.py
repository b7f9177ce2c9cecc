"""Signed links for confirming and leaving the mailing list.

The links carry the subscriber's random key, signed so nobody can make a link for an
address they don't control. A confirmation link expires; an unsubscribe link never
does, because it sits in every email we have ever sent.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "mapertunity.blog.confirm"
UNSUBSCRIBE_SALT = "mapertunity.blog.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.key.hex)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.key.hex)


def subscriber_for_confirm_token(token: str) -> Subscriber | None:
    """The subscriber a confirmation link belongs to, or None if forged or expired."""
    try:
        key = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return _by_key(key)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return _by_key(key)


def _by_key(key: str) -> Subscriber | None:
    try:
        return Subscriber.objects.filter(key=uuid.UUID(hex=key)).first()
    except ValueError:
        return None
