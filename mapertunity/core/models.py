"""The task worker's own bookkeeping: who is alive, what recurs when, what has been done."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


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


class DoneMark(models.Model):
    """A side effect that happened (an email accepted by the mail server), by key, so a task
    that is run again after its worker died can skip it."""

    key = models.CharField(max_length=200, primary_key=True)
    done_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
