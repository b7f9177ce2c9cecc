"""The task worker: django-tasks-db's `Worker`, made to survive and to recover by itself.

- A lock or connection error (SQLite's "database is locked", a PostgreSQL connection that
  went away) doesn't end the process: the worker waits, longer each time, and carries on.
  A task whose own queries meet such an error is queued again a little later instead of
  being failed.
- Each worker writes a heartbeat row every WORKER_HEARTBEAT_SECONDS from a thread of its
  own, so also while a long task runs. A task still "running" under a worker with no
  heartbeat for WORKER_LEASE_SECONDS was abandoned (the process was killed, the machine
  went away); any worker puts it back in the queue and it runs again. Task bodies are
  written to be safe to run twice (DESIGN.md, "Background work").
- The same thread enqueues the entries of settings.RECURRING_TASKS as they fall due.

All of this state lives in the database and changes by single conditional UPDATEs or in
one transaction, so a kill -9 at any instant leaves nothing another worker can't pick up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import (
    Error,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .backoff import Backoff
from .models import RecurringTask, WorkerHeartbeat

logger = logging.getLogger(__name__)

DATABASE_TROUBLE = (OperationalError, InterfaceError)
# Failures the base worker records that say nothing against the task itself: its queries
# met a locked or lost database, or a forced shutdown interrupted it.
RETRYABLE_FAILURES = frozenset(
    f"{cls.__module__}.{cls.__qualname__}"
    for cls in (OperationalError, InterfaceError, SystemExit, KeyboardInterrupt)
)
MAX_RUNS = 10
"""A task started this many times is failed for good instead of started again: whatever
keeps killing its worker may be the task itself."""


class TooManyStarts(Exception):
    """Recorded on a task given up on after MAX_RUNS starts that didn't finish (its
    worker died under it, or the database failed it)."""


_current_worker_id = ""


def current_worker_id() -> str:
    """The id of the worker in this process; "" anywhere else (a web request, a test)."""
    return _current_worker_id


@contextlib.contextmanager
def working_as(worker_id: str) -> Iterator[None]:
    """Name the worker that runs in this process (this one, or the RQ worker) while it runs.

    Claims are made in this name, and a name without a heartbeat reads as a dead worker
    whose claims anyone may take over, so the name must not outlive the worker's run.
    """
    global _current_worker_id
    previous, _current_worker_id = _current_worker_id, worker_id
    try:
        yield
    finally:
        _current_worker_id = previous


@dataclass(frozen=True)
class Recurring:
    path: str
    task: Task[[], Any]
    every: dt.timedelta


def load_schedule(entries: Iterable[tuple[str, float]]) -> list[Recurring]:
    """settings.RECURRING_TASKS, imported and checked: a bad entry stops the worker at start."""
    schedule = []
    for path, seconds in entries:
        found = import_string(path)
        if not isinstance(found, Task):
            raise ImproperlyConfigured(f"RECURRING_TASKS: {path} is not a task.")
        if seconds <= 0:
            raise ImproperlyConfigured(f"RECURRING_TASKS: {path} needs an interval above 0.")
        schedule.append(Recurring(path=path, task=found, every=dt.timedelta(seconds=seconds)))
    return schedule


def beat(*, worker_id: str, now: dt.datetime) -> None:
    """Tell the other workers this one is alive."""
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(beat_at=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            started_at=now,
            beat_at=now,
        )


def recover_abandoned_tasks(*, now: dt.datetime) -> list[str]:
    """Queue again the tasks left running by dead workers; the ids of those handled."""
    lease = dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.alive(now).values_list("worker_id", flat=True))
    # Only tasks started before the lease began: a worker beats before it claims anything,
    # and this leaves alone the tasks of a worker that writes no heartbeat at all.
    running = DBTaskResult.objects.running().filter(started_at__lt=now - lease)
    handled = []
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        if run_again_or_give_up(result, now=now, why="its worker stopped beating"):
            handled.append(str(result.pk))
    return handled


def run_again_or_give_up(
    result: DBTaskResult, *, now: dt.datetime, why: str, run_after: dt.datetime | None = None
) -> bool:
    """Put a task that didn't finish back in the queue, or fail it after MAX_RUNS starts.

    Conditional on the start we know of, so a task that another worker has taken (or
    finished) in the meantime is left alone; False then.
    """
    same_run = DBTaskResult.objects.filter(
        pk=result.pk,
        started_at=result.started_at,
        status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED],
    )
    runs = len(result.worker_ids)
    if runs >= MAX_RUNS:
        # A task that already failed keeps its own error.
        won = same_run.filter(status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{TooManyStarts.__module__}.{TooManyStarts.__qualname__}",
            traceback=f"TooManyStarts: {why}; started {runs} times, not started again.\n",
        )
        if won:
            logger.error(
                "Task %s (%s): %s; gave up after %d starts.", result.pk, result.task_path, why, runs
            )
        return bool(won)
    changes: dict[str, Any] = {"status": TaskResultStatus.READY, "finished_at": None}
    if run_after is not None:
        changes["run_after"] = run_after
    won = same_run.update(**changes)
    if won:
        logger.warning("Task %s (%s): %s; queued to run again.", result.pk, result.task_path, why)
    return bool(won)


def enqueue_due_tasks(*, schedule: Sequence[Recurring], now: dt.datetime) -> list[str]:
    """Enqueue the recurring tasks that are due; the paths of those this worker enqueued."""
    return [
        entry.path
        for entry, seen in due_recurring(schedule=schedule, now=now)
        if claim_recurring(entry, seen, now=now)
    ]


def due_recurring(
    *, schedule: Sequence[Recurring], now: dt.datetime
) -> list[tuple[Recurring, dt.datetime]]:
    """The entries that are due, each with the due time read, for `claim_recurring`."""
    entries = {entry.path: entry for entry in schedule}
    due_at = dict(
        RecurringTask.objects.filter(task_path__in=entries).values_list("task_path", "next_run_at")
    )
    if missing := [path for path in entries if path not in due_at]:
        # A new entry is due at once; of two workers adding it, both read back one row.
        RecurringTask.objects.bulk_create(
            [RecurringTask(task_path=path, next_run_at=now) for path in missing],
            ignore_conflicts=True,
        )
        due_at.update(
            RecurringTask.objects.filter(task_path__in=missing).values_list(
                "task_path", "next_run_at"
            )
        )
    return [(entries[path], when) for path, when in sorted(due_at.items()) if when <= now]


def claim_recurring(entry: Recurring, seen: dt.datetime, *, now: dt.datetime) -> bool:
    """Move the entry's due time on and enqueue it, unless another worker did first.

    Only the UPDATE that still finds the time this worker read succeeds. The task row is
    written in the same transaction, so a crash between the two can't skip a run.
    """
    with transaction.atomic():
        if not RecurringTask.objects.filter(pk=entry.path, next_run_at=seen).update(
            next_run_at=now + entry.every
        ):
            return False
        waiting = DBTaskResult.objects.filter(
            task_path=entry.task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False  # a busy queue shouldn't fill up with copies of the same sweep
        entry.task.enqueue()
    return True


HEARTBEATS_KEPT = dt.timedelta(days=1)


@task()
def prune_heartbeats() -> int:
    """Forget the workers gone for a day (recurring); the number of rows removed."""
    removed, _ = WorkerHeartbeat.objects.filter(
        beat_at__lt=timezone.now() - HEARTBEATS_KEPT
    ).delete()
    return removed


def _drop_connection() -> None:
    """Close this thread's connection, which may be broken; the next query opens a new one."""
    with contextlib.suppress(Error):
        connection.close()


class RecoveringWorker(Worker):
    """django-tasks-db's worker plus heartbeats, recovery and the recurring tasks."""

    def __init__(
        self,
        *,
        schedule: Sequence[Recurring],
        heartbeat_seconds: float,
        clock: Callable[[], dt.datetime] = timezone.now,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.schedule = schedule
        self.heartbeat_seconds = heartbeat_seconds
        self.clock = clock
        # The task whose outcome the database has not recorded yet, if any.
        self._held: DBTaskResult | None = None
        self._backoff = Backoff(first=0.5, cap=30.0, jitter=lambda: random.uniform(0.5, 1.0))

    def run(self) -> None:
        with working_as(self.worker_id):
            self._run()

    def _run(self) -> None:
        stop = threading.Event()
        housekeeper = threading.Thread(
            target=self._keep_house, args=(stop,), name="worker-housekeeping", daemon=True
        )
        try:
            while True:
                try:
                    self._put_back_held()
                    # The first heartbeat lands before the first claim, so no other worker
                    # can take this one's tasks for abandoned.
                    self.housekeeping()
                    if housekeeper.ident is None:
                        housekeeper.start()
                    super().run()
                    return
                except DATABASE_TROUBLE as exc:
                    if not self.running:
                        return
                    delay = self._backoff.next_delay()
                    logger.warning(
                        "Worker %s: the database failed (%s); trying again in %.1f s.",
                        self.worker_id,
                        str(exc).strip() or type(exc).__name__,
                        delay,
                    )
                    _drop_connection()
                    self.startup_delay = False
                    time.sleep(delay)
        finally:
            stop.set()
            if housekeeper.ident is not None:
                # A beat in progress would write the row again after the sign-off.
                housekeeper.join(timeout=5)
            # Signing off frees this worker's claims (blog deliveries) at once; if the
            # database is away, the lease runs out by itself.
            with contextlib.suppress(Error):
                WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self._held = db_task_result
        # Records success or failure; raises only if the database won't take the outcome.
        super().run_task(db_task_result)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in RETRYABLE_FAILURES
        ):
            self._run_held_again(why=f"it failed with {db_task_result.exception_class_path}")
        self._held = None

    def _put_back_held(self) -> None:
        if self._held is not None:
            self._run_held_again(why="the database failed while it ran")
            self._held = None

    def _run_held_again(self, *, why: str) -> None:
        assert self._held is not None
        now = self.clock()
        delay = min(60.0, 2.0 ** (len(self._held.worker_ids) - 1))
        run_again_or_give_up(
            self._held, now=now, why=why, run_after=now + dt.timedelta(seconds=delay)
        )

    def housekeeping(self) -> None:
        """Beat, recover abandoned tasks, enqueue due recurring ones."""
        now = self.clock()
        beat(worker_id=self.worker_id, now=now)
        recover_abandoned_tasks(now=now)
        for path in enqueue_due_tasks(schedule=self.schedule, now=now):
            logger.info("Enqueued the recurring task %s", path)

    def _keep_house(self, stop: threading.Event) -> None:
        while not stop.wait(self.heartbeat_seconds):
            try:
                self.housekeeping()
            except DATABASE_TROUBLE as exc:
                logger.warning("Worker %s: housekeeping failed (%s).", self.worker_id, exc)
                _drop_connection()
            except Exception:
                # The heartbeat must outlive any one failure.
                logger.exception("Worker %s: housekeeping failed.", self.worker_id)
                _drop_connection()
            finally:
                close_old_connections()
        _drop_connection()
