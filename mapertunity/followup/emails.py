"""The emails follow-up sends: the daily digest (a notification, with one-click
unsubscribe), and a candidate's own email to someone they met, sent on their behalf."""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from mapertunity.accounts.notifications import Kind, message
from mapertunity.core.links import absolute_url
from mapertunity.core.outbox import send_once

from .models import Draft

if TYPE_CHECKING:
    from .digest import Day


def digest(day: Day) -> bool:
    user = day.coach.user
    count = day.count
    things = f"{count} follow-up step{'s' if count != 1 else ''}" if count else "your interview"
    subject = f"Today, {day.today:%A} {day.today.day} {day.today:%B}: {things}"
    context = {
        "day": day,
        "url": absolute_url(reverse("followup:today")),
        "site": settings.SITE_URL,
    }
    return send_once(
        f"followup-digest:{user.pk}:{day.today.isoformat()}",
        lambda: message(
            to=user,
            kind=Kind.FOLLOWUP,
            subject=subject,
            template="followup/email/digest",
            context=context,
            message_id=f"followup-digest-{user.pk}-{day.today.isoformat()}",
        ),
    )


def personal_email(draft_id: str) -> bool:
    """The candidate's draft as they sent it: from the site's address in their name,
    Reply-To them and a copy to them, so the answer reaches them directly."""
    draft = (
        Draft.objects.select_related("step__interview__owner", "contact")
        .filter(pk=draft_id, sent_at__isnull=False)
        .first()
    )
    if draft is None:
        return False
    owner = draft.step.interview.owner
    name = owner.get_full_name() or owner.display_name
    sender = formataddr(
        (f"{name} via {settings.SITE_NAME}", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    )
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    footer = (
        f"\n\n--\nSent by {name} through {settings.SITE_NAME}. "
        f"Reply to this email to answer {name} directly.\n"
    )

    def build() -> EmailMessage:
        return EmailMessage(
            subject=draft.subject,
            body=draft.body.rstrip() + footer,
            from_email=sender,
            to=[draft.sent_to],
            cc=[owner.email],
            reply_to=[owner.email],
            headers={"Message-ID": f"<followup-{draft.pk}@{host}>"},
        )

    return send_once(f"followup-draft:{draft.pk}", build)
