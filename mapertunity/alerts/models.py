"""Saved searches (alerts) with their area, the jobs each has already announced, the
digests that carried them, and saved jobs (bookmarks). Everything belongs to one user and
is reached by opaque ids, or by a secret token for an alert's feed."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mapertunity.geo.areas import Box, Ring, ring_bbox


def new_feed_token() -> str:
    """The secret in an alert feed's URL: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


PERIODS = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}


class AlertQuerySet(models.QuerySet["Alert"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> AlertQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def due(self, now: dt.datetime) -> AlertQuerySet:
        """Alerts whose next digest is due: not paused, their owner still active."""
        return self.filter(paused_at__isnull=True, next_digest_at__lte=now, user__is_active=True)


class Alert(models.Model):
    """A saved search: the filters of /jobs/ (as a normalised query string) inside an
    area — a box, a drawn polygon, or anywhere — emailed daily or weekly and served as a
    feed at a secret address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_alerts"
    )
    name = models.CharField(max_length=100)
    query = models.TextField(
        blank=True, help_text="The search filters as a normalised query string (q=…&type=…)."
    )
    west = models.FloatField(null=True, blank=True)
    south = models.FloatField(null=True, blank=True)
    east = models.FloatField(null=True, blank=True)
    north = models.FloatField(null=True, blank=True)
    polygon = models.JSONField(
        null=True,
        blank=True,
        help_text="A drawn area: [[lng, lat], …], longitudes unwrapped (geo/areas.py).",
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    paused_at = models.DateTimeField(null=True, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    """None once the feed is revoked; a new one can be made at any time."""
    next_digest_at = models.DateTimeField(db_index=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(west__isnull=True, south__isnull=True, east__isnull=True, north__isnull=True)
                    | Q(
                        west__isnull=False,
                        south__isnull=False,
                        east__isnull=False,
                        north__isnull=False,
                    )
                ),
                name="alert_box_all_or_nothing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alerts:edit", kwargs={"alert_id": self.pk})

    @property
    def ring(self) -> Ring | None:
        if not self.polygon:
            return None
        return [(float(x), float(y)) for x, y in self.polygon]

    @property
    def box(self) -> Box | None:
        """The area's bounding box (a polygon's envelope), or None for anywhere."""
        if ring := self.ring:
            return ring_bbox(ring)
        if self.west is None or self.south is None or self.east is None or self.north is None:
            return None
        return (self.west, self.south, self.east, self.north)

    @property
    def area_kind(self) -> str:
        if self.polygon:
            return "polygon"
        return "box" if self.west is not None else "anywhere"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def period(self) -> dt.timedelta:
        return PERIODS[Frequency(self.frequency)]


class Digest(models.Model):
    """One email of an alert: the new matches it carries point at it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="digests")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    job_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="digest_unsent")]

    def __str__(self) -> str:
        return f"Digest of {self.alert} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def outbox_key(self) -> str:
        return f"alerts-digest:{self.pk}"


class AlertMatch(models.Model):
    """A job an alert has announced. Unique per alert and job: each job is emailed at most
    once per alert, whatever the number of workers or runs."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="matches", null=True, blank=True
    )
    matched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "job"], name="alert_match_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} for {self.alert_id}"


class SavedJobQuerySet(models.QuerySet["SavedJob"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> SavedJobQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class SavedJob(models.Model):
    """A bookmark: a job someone wants to come back to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SavedJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "job"], name="saved_job_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} saved by {self.user_id}"
