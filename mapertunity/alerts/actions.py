"""Workflows of alerts and saved jobs. Views call these with values, never forms."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.geo.areas import Box, Ring
from mapertunity.jobs.models import Job

from .models import PERIODS, Alert, Frequency, SavedJob, new_feed_token


def create_alert(
    *,
    user: User,
    name: str,
    frequency: str,
    query: str,
    box: Box | None = None,
    ring: Ring | None = None,
    now: dt.datetime | None = None,
) -> Alert:
    """Save a search. Its first digest is one period away and holds only jobs posted from
    now on: an alert announces what is new, not what was already on the map."""
    now = now or timezone.now()
    alert = Alert(
        user=user,
        name=name.strip(),
        frequency=frequency,
        query=query,
        feed_token=new_feed_token(),
        next_digest_at=now + PERIODS[Frequency(frequency)],
        created_at=now,
    )
    _set_area(alert, box=box, ring=ring)
    alert.save()
    return alert


def _set_area(alert: Alert, *, box: Box | None, ring: Ring | None) -> None:
    alert.polygon = [list(p) for p in ring] if ring else None
    west, south, east, north = box if box and not ring else (None, None, None, None)
    alert.west, alert.south, alert.east, alert.north = west, south, east, north


def update_alert(
    *,
    alert: Alert,
    name: str,
    frequency: str,
    query: str,
    now: dt.datetime | None = None,
) -> Alert:
    """Rename, change how often, or change the filters. A new frequency counts from now."""
    now = now or timezone.now()
    if frequency != alert.frequency:
        alert.next_digest_at = now + PERIODS[Frequency(frequency)]
    alert.name, alert.frequency, alert.query = name.strip(), frequency, query
    alert.save()
    return alert


def pause_alert(*, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """No more emails until resumed (the feed keeps working)."""
    if alert.paused_at is None:
        alert.paused_at = now or timezone.now()
        alert.save(update_fields=["paused_at", "updated_at"])
    return alert


def resume_alert(*, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """Emails again; what was posted while paused is not sent in a flood, only what
    comes after the next period's start."""
    now = now or timezone.now()
    if alert.paused_at is not None:
        alert.paused_at = None
        alert.next_digest_at = max(alert.next_digest_at, now + alert.period)
        alert.save(update_fields=["paused_at", "next_digest_at", "updated_at"])
    return alert


def delete_alert(*, alert: Alert) -> None:
    alert.delete()


def rotate_feed(*, alert: Alert) -> Alert:
    """A new secret feed address; the old one stops working at once."""
    alert.feed_token = new_feed_token()
    alert.save(update_fields=["feed_token", "updated_at"])
    return alert


def revoke_feed(*, alert: Alert) -> Alert:
    """No feed address at all until a new one is made."""
    alert.feed_token = None
    alert.save(update_fields=["feed_token", "updated_at"])
    return alert


def save_job(*, user: User, job: Job) -> SavedJob:
    try:
        with transaction.atomic():
            return SavedJob.objects.create(user=user, job=job)
    except IntegrityError:
        return SavedJob.objects.get(user=user, job=job)


def unsave_job(*, user: User, job_id: int) -> bool:
    deleted, _ = SavedJob.objects.filter(user=user, job_id=job_id).delete()
    return bool(deleted)
