"""``manage.py worker``: the background task worker that `make run` and production run.

It takes the options of django-tasks-db's ``db_worker`` and runs its worker loop, with what
mapertunity.core.worker adds: database errors retried instead of fatal, tasks of dead
workers run again, the recurring tasks of settings.RECURRING_TASKS enqueued when due.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from mapertunity.core.worker import RecoveringWorker, load_schedule


class Command(db_worker.Command):
    help = (
        "Run the background task worker: it survives database errors, runs again the tasks "
        "of workers that died, and enqueues the recurring tasks."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = RecoveringWorker(
            schedule=load_schedule(settings.RECURRING_TASKS),
            heartbeat_seconds=settings.WORKER_HEARTBEAT_SECONDS,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            # As db_worker does: only the reloader's child runs tasks and takes signals.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
