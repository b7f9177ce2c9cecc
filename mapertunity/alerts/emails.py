"""The alert digest email: the new jobs, a link to the whole search, and a one-click
unsubscribe from this one alert (RFC 8058 headers), signed so it needs no sign-in."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once
from mapertunity.jobs.models import Job

from .matching import describe
from .models import Alert, Digest

_SALT = "mapertunity.alerts.unsubscribe"


def unsubscribe_token(alert: Alert) -> str:
    return signing.Signer(salt=_SALT).sign_object({"a": str(alert.pk)})


def read_unsubscribe_token(token: str) -> Alert | None:
    """The alert a link stops, or None when it was forged, tampered with or deleted."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    try:
        return Alert.objects.select_related("user").filter(pk=data["a"]).first()
    except ValidationError:  # a malformed UUID
        return None


def unsubscribe_url(alert: Alert) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(alert)]))


def search_url(alert: Alert) -> str:
    """The alert's search on the map (its filters; the area is the alert's own page)."""
    path = reverse("home")
    return absolute_url(f"{path}?{alert.query}" if alert.query else path)


def digest_message(digest: Digest, jobs: list[Job]) -> EmailMultiAlternatives | None:
    alert = digest.alert
    user = alert.user
    if not jobs or alert.is_paused or not user.is_active or not user.email:
        return None
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    leave_url = unsubscribe_url(alert)
    count = len(jobs)
    subject = f"{count} new job{'s' if count != 1 else ''} for “{alert.name}”"
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "recipient": user,
        "alert": alert,
        "jobs": [(job, absolute_url(job.get_absolute_url())) for job in jobs],
        "filters": describe(alert.query),
        "url": absolute_url(reverse("alerts:list")),
        "search_url": search_url(alert),
        "unsubscribe_url": leave_url,
        "kind_label": f"your job alert “{alert.name}”",
    }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("alerts/email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{leave_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<alerts-digest-{digest.pk}@{host}>",
        },
    )
    email.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return email


def send_digest(digest: Digest) -> bool:
    """Send the digest at most once (the outbox key names it); jobs closed since it was
    written are left out."""

    def build() -> EmailMultiAlternatives | None:
        fresh = Digest.objects.select_related("alert__user").get(pk=digest.pk)
        jobs = list(
            Job.objects.published()
            .filter(pk__in=fresh.matches.values("job_id"))
            .select_related("company")
            .order_by("-posted_at", "-id")
        )
        return digest_message(fresh, jobs)

    return send_once(digest.outbox_key, build)
