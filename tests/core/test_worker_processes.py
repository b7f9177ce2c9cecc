"""The real `manage.py worker` in child processes: kill -9, locks, lost connections.

The children run with the project's own settings (not the suite's tests.settings, so tasks
go through the database backend), configured by environment variables:
the database (a SQLite file in a temporary folder, or this run's PostgreSQL test
database), a recording mail backend, and short heartbeats so a dead worker is noticed in
two seconds instead of 45.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from .worker_support import POST_TITLE, read_sent

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
EMAILS = 300
KILLS = 10
TASKS_TABLE = "django_tasks_database_dbtaskresult"


class Child:
    """The database and environment the worker processes share."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.tmp = tmp_path
        self.sqlite_path: Path | None = None
        if connection.vendor == "sqlite":
            # The suite's own SQLite database lives in memory, out of a child's reach.
            self.sqlite_path = tmp_path / "db.sqlite3"
            url = f"sqlite:///{self.sqlite_path}"
        else:
            # This run's test database; the test is transactional, so the children see
            # what it writes, and it is emptied afterwards.
            db = connection.settings_dict
            url = (
                f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
                f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
            )
        # Minus what the test run itself sets (the browser tests allow async-unsafe calls).
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        self.env = {
            **inherited,
            "DATABASE_URL": url,
            # The site's settings, not the suite's (which run tasks at once, mail in memory).
            "DJANGO_SETTINGS_MODULE": "mapertunity.settings",
            "MAPERTUNITY_VAR_DIR": str(tmp_path),
            "EMAIL_BACKEND": "tests.core.worker_support.RecordingBackend",
            "WORKER_HEARTBEAT_SECONDS": "0.3",
            "WORKER_LEASE_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.workers: list[subprocess.Popen[bytes]] = []
        self.started = 0
        if self.sqlite_path is not None:
            self.manage("migrate", "--no-input", "-v", "0")

    def manage(self, *args: str, **env: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def shell(self, code: str, **env: str) -> None:
        self.manage("shell", "-v", "0", "-c", code, **env)

    def start_worker(self) -> subprocess.Popen[bytes]:
        self.started += 1
        with open(self.tmp / f"worker-{self.started}.log", "wb") as log:
            return subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay"]
                + ["--interval", "0.1"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.tmp.glob("worker-*.log")))

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30) as db:
                return db.execute(sql).fetchall()
        db = connection.settings_dict
        with psycopg.connect(
            host=db["HOST"] or "localhost",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
            autocommit=True,
        ) as pg:
            return pg.execute(sql).fetchall()

    def task_count(self, condition: str) -> int:
        return self.query(f"SELECT count(*) FROM {TASKS_TABLE} WHERE {condition}")[0][0]


@contextmanager
def child(tmp_path: Path, **env: str) -> Iterator[Child]:
    processes = Child(tmp_path, **env)
    try:
        yield processes
    finally:
        for worker in processes.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.1)


def test_every_email_goes_out_once_through_ten_kill_9s_of_two_workers(
    tmp_path: Path,
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    started = time.monotonic()
    # The mail server is slow until the kills are done (work left for every kill on any
    # machine), then quick, so the queue drains without waiting on it.
    slow = tmp_path / "mail-is-slow"
    slow.touch()
    with child(
        tmp_path,
        TEST_MAIL_LATENCY_SECONDS="0.25",
        TEST_MAIL_SLOW_WHILE=str(slow),
        BLOG_DELIVERY_BATCH_SIZE="10",
    ) as work:
        work.shell(f"from tests.core.worker_support import seed; seed({EMAILS})")
        work.workers = [work.start_worker(), work.start_worker()]
        queued = "('READY', 'RUNNING')"

        def finished() -> bool:
            return (
                work.task_count(f"status IN {queued} AND task_path LIKE 'mapertunity.blog.%'") == 0
                and work.query("SELECT delivery_finished_at FROM blog_post")[0][0] is not None
            )

        def working(process: subprocess.Popen[bytes]) -> bool:
            """Past Django's start-up: its heartbeat row (which names its pid) is written."""
            rows = work.query(
                f"SELECT count(*) FROM core_workerheartbeat WHERE pid = {process.pid}"
            )
            return rows[0][0] == 1

        kills = 0
        while kills < KILLS and not finished():
            victim = rng.randrange(len(work.workers))
            process = work.workers[victim]
            # A kill during start-up would prove nothing: wait until it works, then pick
            # a random moment of its work.
            wait_for(partial(working, process), seconds=20, what="a worker to start")
            time.sleep(rng.uniform(0.05, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            work.workers[victim] = work.start_worker()
        slow.unlink()
        wait_for(finished, seconds=45, what="the queue to drain after the kills")

        # Stopped the ordinary way, both go quietly (once past start-up: a worker that
        # gets SIGTERM before Django has loaded has no handler for it yet).
        for worker in work.workers:
            wait_for(partial(working, worker), seconds=20, what="a worker to start")
        for worker in work.workers:
            worker.send_signal(signal.SIGTERM)
        assert [worker.wait(timeout=10) for worker in work.workers] == [0, 0]
        failed = work.task_count("status = 'FAILED'")
        recurring = dict(
            work.query(f"SELECT task_path, count(*) FROM {TASKS_TABLE} GROUP BY task_path")
        )
        # Each start of a task appends its worker's id: extra ids are runs a kill cut short.
        # PostgreSQL hands back the JSON list, SQLite its text.
        runs = work.query(f"SELECT worker_ids FROM {TASKS_TABLE}")
        ids = [json.loads(value) if isinstance(value, str) else value for (value,) in runs]
        interrupted = sum(len(worker_ids) - 1 for worker_ids in ids)
        delivery_states = dict(work.query("SELECT status, count(*) FROM blog_delivery GROUP BY 1"))
    elapsed = time.monotonic() - started

    sent = read_sent(tmp_path / "mail" / "sent.log")
    by_recipient: dict[str, set[str]] = defaultdict(set)
    for message_id, recipient, _subject in sent:
        by_recipient[recipient].add(message_id)
    confirmations = {to for _, to, subject in sent if subject.startswith("Confirm")}
    post_emails = {to for _, to, subject in sent if subject == POST_TITLE}
    repeats = len(sent) - len({message_id for message_id, _, _ in sent})
    print(
        f"\nseed {seed}: {kills} kills, {work.started} worker starts, {len(sent)} messages "
        f"accepted for {len(by_recipient)} recipients, {repeats} repeated, "
        f"{interrupted} task runs cut short and run again, {elapsed:.1f} s"
    )

    assert kills >= 9, f"the work was done after {kills} kills; make it slower"
    # Nearly every kill stops a worker inside a task (a few fall between two tasks).
    assert interrupted >= kills // 2
    assert confirmations == {f"new{n}@example.org" for n in range(EMAILS)}
    assert post_emails == {f"reader{n}@example.org" for n in range(EMAILS)}
    # Each mailbox holds one message ...
    assert all(len(ids) == 1 for ids in by_recipient.values())
    # ... and a copy went out again only when a kill fell between the mail server's
    # "accepted" and the database write that follows: at most one per kill, same Message-ID.
    assert repeats <= kills
    assert failed == 0
    assert delivery_states == {"sent": EMAILS}
    # A dozen worker starts, yet each recurring task was enqueued once.
    assert recurring["mapertunity.blog.tasks.sweep_blog"] == 1
    assert recurring["mapertunity.core.worker.prune_heartbeats"] == 1


def test_the_worker_outlives_database_trouble_then_runs_the_next_task(tmp_path: Path) -> None:
    # SQLite: a connection waits 0.3 s for a lock instead of 20 before "database is locked".
    with child(tmp_path, SQLITE_TIMEOUT_SECONDS="0.3") as work:
        worker = work.start_worker()
        work.workers = [worker]
        wait_for(
            lambda: work.query("SELECT count(*) FROM core_workerheartbeat")[0][0] == 1,
            seconds=20,
            what="the worker's first heartbeat",
        )
        if work.sqlite_path is not None:
            with sqlite3.connect(work.sqlite_path, isolation_level=None) as lock:
                lock.execute("BEGIN EXCLUSIVE")
                time.sleep(4)
                assert worker.poll() is None
                lock.execute("ROLLBACK")
            trouble = "database is locked"
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (own_pid,) = cursor.fetchone()
            for _ in range(6):
                work.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    f"AND pid <> {own_pid}"
                )
                time.sleep(0.5)
            trouble = ""
        assert worker.poll() is None

        work.shell(
            "from mapertunity.blog import actions; actions.subscribe(email='after@example.org')",
            SQLITE_TIMEOUT_SECONDS="20",
        )
        sent_log = tmp_path / "mail" / "sent.log"
        wait_for(lambda: bool(read_sent(sent_log)), seconds=20, what="the confirmation email")
        assert [to for _, to, _ in read_sent(sent_log)] == ["after@example.org"]
        assert worker.poll() is None
        assert trouble in work.logs()
        if trouble:
            assert "trying again in" in work.logs()


def test_a_task_that_meets_a_locked_database_runs_again_instead_of_failing(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "ran-once"
    with child(tmp_path) as work:
        work.shell(
            "from tests.core.worker_support import fails_once_on_a_locked_database as t; "
            f"t.enqueue({str(marker)!r})"
        )
        work.workers = [work.start_worker()]
        wait_for(
            lambda: work.task_count("status = 'SUCCESSFUL' AND task_path LIKE 'tests.%'") == 1,
            seconds=20,
            what="the task's second run",
        )
    assert marker.exists()
