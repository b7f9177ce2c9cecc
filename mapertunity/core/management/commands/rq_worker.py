"""``manage.py rq_worker``: the task worker when TASKS_BACKEND=rq (see core/rqworker.py).

Any number may run, on any machine that reaches Redis and the database; each recovers the
jobs of workers that died and enqueues the recurring tasks.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run an RQ task worker (TASKS_BACKEND=rq) that runs again the jobs of dead workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="append", dest="queues", help="default: all")
        parser.add_argument("--name", default=None, help="worker name (default: random)")
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")

    def handle(self, *, queues: list[str] | None, name: str | None, burst: bool, **_: Any) -> None:
        if settings.TASKS_BACKEND != "rq":
            raise CommandError("rq_worker runs RQ jobs: set TASKS_BACKEND=rq and REDIS_URL.")
        import django_rq
        from django_tasks_rq import Job

        from mapertunity.core.rqworker import RecoveringRQWorker

        names = queues or list(settings.RQ_QUEUES)
        worker = RecoveringRQWorker(
            [django_rq.get_queue(queue, job_class=Job) for queue in names],
            connection=django_rq.get_connection(names[0]),
            job_class=Job,
            name=name,
            heartbeat_seconds=settings.WORKER_HEARTBEAT_SECONDS,
        )
        worker.work(burst=burst, with_scheduler=True)
