"""Background work of the task worker itself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from .models import DoneMark, WorkerHeartbeat

HEARTBEATS_KEPT = dt.timedelta(days=1)
# A mark matters only while its task can still run again, which is minutes after a crash.
DONE_MARKS_KEPT = dt.timedelta(days=7)


@task()
def prune_worker_records() -> dict[str, int]:
    """Forget workers gone for a day and done marks older than a week."""
    now = timezone.now()
    heartbeats, _ = WorkerHeartbeat.objects.filter(beat_at__lt=now - HEARTBEATS_KEPT).delete()
    marks, _ = DoneMark.objects.filter(done_at__lt=now - DONE_MARKS_KEPT).delete()
    return {"heartbeats": heartbeats, "done_marks": marks}
