"""Small factories for alerts: a seeker, an alert made in the past, jobs in places."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from typing import Any

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.alerts import actions
from mapertunity.alerts.models import Alert
from mapertunity.companies.models import Company
from mapertunity.geo.areas import Box, Ring, unwrap_ring
from mapertunity.jobs.models import Job
from tests.helpers import make_job, verify_email

_serial = itertools.count(1)


def make_seeker(name: str = "seeker") -> User:
    user = User.objects.create_user(
        f"{name}-{next(_serial)}@people.example.org", "correct-horse-battery"
    )
    verify_email(user)
    return user


def make_alert(
    user: User,
    *,
    name: str = "Warehouse work",
    query: str = "",
    box: Box | None = None,
    polygon: list[tuple[float, float]] | None = None,
    frequency: str = "daily",
    days_ago: float = 2,
) -> Alert:
    """An alert made ``days_ago`` days ago, so its first digest is due (daily)."""
    ring: Ring | None = unwrap_ring(polygon) if polygon else None
    return actions.create_alert(
        user=user,
        name=name,
        frequency=frequency,
        query=query,
        box=box,
        ring=ring,
        now=timezone.now() - dt.timedelta(days=days_ago),
    )


def job_at(company: Company, lng: float, lat: float, **fields: Any) -> Job:
    """A live job at a point, posted an hour ago (after any alert made_days_ago)."""
    fields.setdefault("posted_at", timezone.now() - dt.timedelta(hours=1))
    fields.setdefault("title", f"Warehouse Lead {next(_serial)}")
    return make_job(company, lng=lng, lat=lat, **fields)


def job_ids_in(message: Any) -> list[int]:
    """The job ids a digest email links to, from its text part."""
    return [int(n) for n in re.findall(r"/jobs/(\d+)/", message.body)]


def digests_to(user: User) -> list[Any]:
    return [m for m in mail.outbox if m.to == [user.email]]


class SlowBackend(EmailBackend):
    """The locmem backend with a mail server's round trip, so two workers overlap."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(0.05)
        return super().send_messages(messages)
