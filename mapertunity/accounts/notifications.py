"""Notification email: plain text and HTML parts, and one-click unsubscribe per kind.

Every notification names its kind. A suppressible kind (new messages, new applicants,
progress updates) carries a signed one-click unsubscribe link and the RFC 8058 headers;
a transactional one (an offer, a hire, a decision, a closed application) always goes out,
because it is the answer the person is waiting for.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from mapertunity.core.links import absolute_url

from .models import EmailOptOut, User


class Kind(models.TextChoices):
    MESSAGES = "messages", "New messages in your conversations"
    APPLICANTS = "applicants", "New applicants to your jobs"
    PROGRESS = "progress", "Progress on your applications (reviewing, interviews)"
    INVITATIONS = "invitations", "Employers inviting you to talk"
    FOLLOWUP = "followup", "Your daily follow-up reminders"
    DECISIONS = "decisions", "Decisions on your applications"
    POSTINGS = "postings", "Reminders before your job postings close"
    REVIEWS = "reviews", "Review decisions on your job postings"
    RECEIPTS = "receipts", "Receipts for credits you buy"


TRANSACTIONAL = frozenset({Kind.DECISIONS, Kind.REVIEWS, Kind.RECEIPTS})
"""Kinds nobody can switch off: offers, hires, rejections and closures; staff's answer on
a posting; the receipt for a purchase."""

_SALT = "mapertunity.accounts.unsubscribe"


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.Signer(salt=_SALT).sign_object({"u": user.pk, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The person and kind a link is for, or None when it was forged or tampered with."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id).first()
    return None if user is None else (user, str(data["k"]))


def unsubscribe_url(user: User, kind: str) -> str:
    return absolute_url(reverse("accounts:unsubscribe", args=[unsubscribe_token(user, kind)]))


def wants(user: User, kind: str) -> bool:
    if kind in TRANSACTIONAL:
        return True
    return not EmailOptOut.objects.filter(user=user, kind=kind).exists()


def opt_out(*, user: User, kind: str) -> None:
    if kind not in TRANSACTIONAL:
        EmailOptOut.objects.get_or_create(user=user, kind=kind)


def message(
    *,
    to: User,
    kind: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    reply_to: list[str] | None = None,
    cc: list[str] | None = None,
    message_id: str | None = None,
) -> EmailMultiAlternatives | None:
    """The email ``template`` (``<template>.txt`` and ``.html``) for ``to``, or None if
    they opted out of ``kind``. The caller sends it (inside a task)."""
    if not wants(to, kind):
        return None
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    headers: dict[str, str] = {}
    leave_url = ""
    if kind not in TRANSACTIONAL:
        leave_url = unsubscribe_url(to, kind)
        headers["List-Unsubscribe"] = f"<{leave_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message_id:
        headers["Message-ID"] = f"<{message_id}@{host}>"
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "recipient": to,
        "unsubscribe_url": leave_url,
        "kind_label": Kind(kind).label,
        **context,
    }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to.email],
        cc=cc or [],
        reply_to=reply_to or [],
        headers=headers,
    )
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return email


def send(**kwargs: Any) -> bool:
    """Build and send one notification; False if the person opted out of its kind."""
    email = message(**kwargs)
    return bool(email and email.send())
