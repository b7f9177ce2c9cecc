"""The worker's recovery, in this process: abandoned tasks, recurring tasks, retries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from mapertunity.blog import tasks as blog_tasks
from mapertunity.core import worker as worker_module
from mapertunity.core.backoff import Backoff
from mapertunity.core.models import RecurringTask, WorkerHeartbeat
from mapertunity.core.worker import (
    MAX_RUNS,
    RecoveringWorker,
    Recurring,
    beat,
    claim_recurring,
    current_worker_id,
    due_recurring,
    enqueue_due_tasks,
    load_schedule,
    recover_abandoned_tasks,
)

from .worker_support import fails_once_on_a_locked_database

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("database_tasks"),
]

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


@pytest.fixture
def database_tasks() -> Any:
    """Tasks queued in the database, as under the real worker, instead of run at once."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


def running_task(*, worker_id: str, started_at: dt.datetime, runs: int = 1) -> DBTaskResult:
    blog_tasks.sweep_blog.enqueue()
    result = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started_at, worker_ids=[worker_id] * runs
    )
    return DBTaskResult.objects.get(pk=result.pk)


def make_worker(**options: Any) -> RecoveringWorker:
    defaults: dict[str, Any] = {
        "schedule": [],
        "heartbeat_seconds": 3600,
        "clock": lambda: NOW,
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "me",
        "excluded_queue_names": [],
    }
    return RecoveringWorker(**{**defaults, **options})


# Abandoned tasks


def test_a_task_left_running_by_a_dead_worker_is_queued_to_run_again() -> None:
    result = running_task(worker_id="killed", started_at=NOW - LEASE - dt.timedelta(seconds=1))
    assert recover_abandoned_tasks(now=NOW) == [str(result.pk)]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=result.pk).exists()


def test_a_task_whose_worker_still_beats_is_left_alone() -> None:
    running_task(worker_id="busy", started_at=NOW - dt.timedelta(hours=1))
    beat(worker_id="busy", now=NOW - LEASE + dt.timedelta(seconds=1))
    assert recover_abandoned_tasks(now=NOW) == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_a_worker_whose_heartbeat_is_older_than_the_lease_counts_as_dead() -> None:
    result = running_task(worker_id="stuck", started_at=NOW - dt.timedelta(hours=1))
    beat(worker_id="stuck", now=NOW - LEASE - dt.timedelta(seconds=1))
    assert recover_abandoned_tasks(now=NOW) == [str(result.pk)]


def test_a_task_started_within_the_lease_is_not_judged_yet() -> None:
    running_task(worker_id="new", started_at=NOW - dt.timedelta(seconds=1))
    assert recover_abandoned_tasks(now=NOW) == []


def test_two_workers_recovering_at_once_queue_the_task_once() -> None:
    stale = running_task(worker_id="killed", started_at=NOW - LEASE * 2)
    stale_copy = DBTaskResult.objects.get(pk=stale.pk)
    assert worker_module.run_again_or_give_up(stale, now=NOW, why="test")
    assert not worker_module.run_again_or_give_up(stale_copy, now=NOW, why="test")


def test_a_task_whose_workers_keep_dying_is_failed_for_good() -> None:
    running_task(worker_id="killed", started_at=NOW - LEASE * 2, runs=MAX_RUNS)
    recover_abandoned_tasks(now=NOW)
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "mapertunity.core.worker.TooManyStarts"


# Recurring tasks

EVERY_MINUTE = [Recurring(path="sweep", task=blog_tasks.sweep_blog, every=dt.timedelta(minutes=1))]


def test_settings_name_real_tasks() -> None:
    assert [entry.path for entry in load_schedule(settings.RECURRING_TASKS)] == [
        path for path, _ in settings.RECURRING_TASKS
    ]


def test_a_new_recurring_task_runs_at_once_then_every_interval() -> None:
    assert enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW) == ["sweep"]
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW + dt.timedelta(seconds=59)) == []
    assert enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW + dt.timedelta(seconds=60)) == ["sweep"]
    assert DBTaskResult.objects.count() == 2


def test_two_workers_finding_a_recurring_task_due_enqueue_it_once() -> None:
    enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW)
    DBTaskResult.objects.all().delete()
    later = NOW + dt.timedelta(minutes=1)
    # Both read the schedule before either moves it on.
    seen_by_first = due_recurring(schedule=EVERY_MINUTE, now=later)
    seen_by_second = due_recurring(schedule=EVERY_MINUTE, now=later)
    assert seen_by_first == seen_by_second != []
    assert [claim_recurring(entry, seen, now=later) for entry, seen in seen_by_first] == [True]
    assert [claim_recurring(entry, seen, now=later) for entry, seen in seen_by_second] == [False]
    assert DBTaskResult.objects.count() == 1
    assert RecurringTask.objects.get().next_run_at == later + dt.timedelta(minutes=1)


def test_a_recurring_task_still_waiting_in_the_queue_is_not_queued_twice() -> None:
    enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW)  # nobody runs it: the worker is busy
    assert enqueue_due_tasks(schedule=EVERY_MINUTE, now=NOW + dt.timedelta(minutes=5)) == []
    assert DBTaskResult.objects.count() == 1


def test_a_setting_that_names_no_task_stops_the_worker_at_start() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="is not a task"):
        load_schedule([("mapertunity.blog.actions.publish_due_posts", 60)])


# Database errors


def test_a_task_that_meets_a_locked_database_is_queued_again_not_failed(tmp_path: Any) -> None:
    fails_once_on_a_locked_database.enqueue(str(tmp_path / "marker"))
    worker = make_worker()
    result = DBTaskResult.objects.get()
    result.claim("me")
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.run_after == NOW + dt.timedelta(seconds=1)

    DBTaskResult.objects.update(run_after=NOW)
    result.refresh_from_db()
    result.claim("me")
    worker.run_task(result)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_task_whose_outcome_the_database_refused_is_put_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blog_tasks.sweep_blog.enqueue()
    result = DBTaskResult.objects.get()
    result.claim("me")

    def refuse(self: DBTaskResult, outcome: Any) -> None:
        raise OperationalError("database is locked")

    # Neither the success nor, then, the failure can be written.
    monkeypatch.setattr(DBTaskResult, "set_successful", refuse)
    monkeypatch.setattr(DBTaskResult, "set_failed", refuse)
    worker = make_worker()
    with pytest.raises(OperationalError):
        worker.run_task(result)
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING

    worker._put_back_held()  # what the main loop does once the database answers again
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


def test_the_main_loop_waits_out_database_errors_with_growing_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outcomes: list[Exception | None] = [
        OperationalError("database is locked"),
        OperationalError("server closed the connection unexpectedly"),
        None,
    ]

    def base_run(self: Worker) -> None:
        if error := outcomes.pop(0):
            raise error

    pauses: list[float] = []
    monkeypatch.setattr(Worker, "run", base_run)
    monkeypatch.setattr(worker_module.time, "sleep", pauses.append)
    # The real worker drops its broken connection; this test's one holds its transaction.
    monkeypatch.setattr(worker_module, "_drop_connection", lambda: None)
    worker = make_worker()
    worker._backoff = Backoff(first=0.5, clock=lambda: 0.0)

    worker.run()

    assert outcomes == []
    assert pauses == [0.5, 1.0]
    # It signed off when it stopped.
    assert not WorkerHeartbeat.objects.filter(pk="me").exists()


def test_a_stopped_worker_s_name_is_not_left_on_claims_made_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # While it runs, the process claims (emails, deliveries) in the worker's name.
    seen: list[str] = []
    monkeypatch.setattr(Worker, "run", lambda self: seen.append(current_worker_id()))
    make_worker(worker_id="me").run()
    assert seen == ["me"]
    # Once it stops it has no heartbeat, so a claim still made in its name would look
    # abandoned and be taken over (and its email sent twice) by any other run.
    assert current_worker_id() == ""
