"""Enqueueing background work after the transaction that asked for it commits.

Tasks are named by dotted path: an app's ``tasks.py`` wraps its actions, and its actions
enqueue its tasks, so naming them here keeps the two modules from importing each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task


def get_task(path: str) -> Task[Any, Any]:
    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a task")
    return task


def enqueue_on_commit(path: str, *args: Any, run_after: dt.datetime | None = None) -> None:
    """Enqueue the task ``path`` with ``args`` once the current transaction commits.

    A task that runs before its transaction commits would not see the rows it is about;
    one enqueued by a transaction that rolls back should not run at all. With
    ``run_after`` on a backend that can't wait (tests run tasks at once) nothing is
    queued: the worker's recurring sweeps pick the work up when it is due.
    """

    def enqueue() -> None:
        task = get_task(path)
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
        task.enqueue(*args)

    transaction.on_commit(enqueue)
