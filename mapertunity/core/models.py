"""Bookkeeping shared by every app: emails sent once, and the task worker's own records
(who is alive, what recurs when)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class SentEmail(models.Model):
    """One notification email, by a key naming what it is about, sent at most once.

    A task claims the key (a unique row) before sending and marks it sent after; see
    :func:`mapertunity.core.outbox.send_once`.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    claimed_at = models.DateTimeField()
    # The task worker that holds the claim ("" outside one): once its heartbeat stops, a
    # run of the task again may take the claim over at once.
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class WorkerHeartbeatQuerySet(models.QuerySet["WorkerHeartbeat"]):
    def alive(self, now: dt.datetime) -> WorkerHeartbeatQuerySet:
        """Workers that wrote a heartbeat within the lease; any other worker counts as dead."""
        return self.filter(beat_at__gte=now - dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS))


class WorkerHeartbeat(models.Model):
    """One row per running `manage.py worker`, touched every WORKER_HEARTBEAT_SECONDS."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True, help_text="For people reading the row.")
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    objects = WorkerHeartbeatQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class RecurringTask(models.Model):
    """When an entry of settings.RECURRING_TASKS is next due.

    Workers enqueue the task by moving `next_run_at` on with an UPDATE conditional on the
    value they read, so of several workers that find it due one enqueues it.
    """

    task_path = models.CharField(max_length=200, primary_key=True)
    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.task_path


def claimed_by_dead_worker(now: dt.datetime) -> Q:
    """Rows whose `claimed_by` names a task worker without a heartbeat within the lease:
    the claim of a run that died, free to take at once. Claims made outside a worker
    ("" ) never match; they need a timeout of their own."""
    alive = WorkerHeartbeat.objects.alive(now).values("worker_id")
    return ~Q(claimed_by="") & ~Q(claimed_by__in=alive)
