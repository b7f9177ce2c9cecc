"""The task worker for TASKS_BACKEND=rq: an RQ worker that recovers by itself, like
:mod:`.worker` does for the database backend.

RQ on its own moves a job whose worker died to the failed registry (AbandonedJobError),
and only once the job's timeout has run out and a worker's maintenance, every ten
minutes, looks: an email task killed with its worker would be failed, not sent. Here:

- Each worker runs jobs in its own process (RQ's SimpleWorker: no fork per job, so a
  kill -9 of the worker is a kill of its task) and writes the house's heartbeat row
  (:class:`~mapertunity.core.models.WorkerHeartbeat`) every WORKER_HEARTBEAT_SECONDS from
  a thread of its own, so also while a long task runs.
- The same thread looks at every queue's started-job registry: a job whose worker has had
  no heartbeat for WORKER_LEASE_SECONDS is taken out of it (by a ZREM, which exactly one
  worker wins) and queued again, up to :data:`~.worker.MAX_RUNS` starts. Task bodies are
  safe to run twice, and an email's claim held by the dead worker is free at once
  (:func:`~mapertunity.core.outbox.send_once`).
- The same thread enqueues settings.RECURRING_TASKS when due, as the database worker does.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry
from rq.worker import SimpleWorker

from . import worker as db_worker
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

STARTS_META = "mapertunity_starts"


def recover_abandoned_jobs(
    queues: Sequence[Queue], *, connection: Redis, now: dt.datetime, job_class: type[Job] = Job
) -> list[str]:
    """Queue again the jobs left started by workers without a heartbeat; their ids."""
    lease = dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.alive(now).values_list("worker_id", flat=True))
    handled = []
    for queue in queues:
        registry = StartedJobRegistry(queue=queue, connection=connection, job_class=job_class)
        for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
            try:
                job = job_class.fetch(job_id, connection=connection)
            except NoSuchJobError:
                connection.zrem(registry.key, f"{job_id}:{execution_id}")
                continue
            if job.worker_name and job.worker_name in alive:
                continue
            started = job.started_at
            if (
                started is not None
                and started.replace(tzinfo=started.tzinfo or dt.UTC) > now - lease
            ):
                continue  # just taken: its worker may not have beaten yet
            # Of several workers finding it, only the one whose ZREM removes it goes on.
            if not connection.zrem(registry.key, f"{job_id}:{execution_id}"):
                continue
            starts = int(job.meta.get(STARTS_META, 1))
            if starts >= db_worker.MAX_RUNS:
                logger.error("Job %s (%s): gave up after %d starts.", job.id, job.func_name, starts)
                FailedJobRegistry(queue=queue, connection=connection, job_class=job_class).add(
                    job, exc_string=f"TooManyStarts: its worker died {starts} times."
                )
                continue
            job.meta[STARTS_META] = starts + 1
            job.save_meta()
            queue.enqueue_job(job, at_front=True)
            logger.warning(
                "Job %s (%s): its worker %s stopped beating; queued to run again.",
                job.id,
                job.func_name,
                job.worker_name,
            )
            handled.append(job.id)
    return handled


class RecoveringRQWorker(SimpleWorker):
    """RQ's in-process worker plus the house's heartbeat, recovery and recurring tasks."""

    def __init__(self, *args: Any, heartbeat_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.schedule = db_worker.load_schedule(settings.RECURRING_TASKS)

    def housekeeping(self) -> None:
        now = timezone.now()
        db_worker.beat(worker_id=self.name, now=now)
        recover_abandoned_jobs(
            self.queues, connection=self.connection, now=now, job_class=self.job_class
        )
        for path in db_worker.enqueue_due_tasks(schedule=self.schedule, now=now):
            logger.info("Enqueued the recurring task %s", path)

    def _keep_house(self, stop: threading.Event) -> None:
        while not stop.wait(self.heartbeat_seconds):
            try:
                self.housekeeping()
            except Exception:
                # The heartbeat must outlive any one failure (a lost database, Redis).
                logger.exception("Worker %s: housekeeping failed.", self.name)
            finally:
                close_old_connections()

    def work(self, *args: Any, **kwargs: Any) -> bool:
        with db_worker.working_as(self.name):
            return self._work(*args, **kwargs)

    def _work(self, *args: Any, **kwargs: Any) -> bool:
        # The first heartbeat lands before the first job, so no worker takes this one's
        # jobs for abandoned.
        self.housekeeping()
        stop = threading.Event()
        housekeeper = threading.Thread(
            target=self._keep_house, args=(stop,), name="rq-housekeeping", daemon=True
        )
        housekeeper.start()
        try:
            return bool(super().work(*args, **kwargs))
        finally:
            stop.set()
            housekeeper.join(timeout=5)
            WorkerHeartbeat.objects.filter(pk=self.name).delete()

    def execute_job(self, job: Job, queue: Queue) -> None:
        # As a request does: a connection that broke or aged out is replaced first.
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
