"""`make run`'s supervisor: the site stays up while the worker is started again."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time

import pytest

from mapertunity.core.backoff import Backoff
from mapertunity.core.management.commands.devserver import Supervisor, _stop

_pids = itertools.count(1000)


class FakeProcess:
    def __init__(self, name: str) -> None:
        self.name, self.pid = name, next(_pids)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_supervisor() -> tuple[Supervisor, list[FakeProcess], list[str], Clock, list[int]]:
    workers: list[FakeProcess] = []
    messages: list[str] = []
    cleaned: list[int] = []
    clock = Clock()

    def start_worker() -> FakeProcess:
        workers.append(FakeProcess("worker"))
        return workers[-1]

    supervisor = Supervisor(
        start_server=lambda: FakeProcess("server"),
        start_worker=start_worker,
        log=messages.append,
        clock=clock,
        backoff=Backoff(first=1.0, cap=30.0, reset_after=60.0, clock=clock),
        clean_up=lambda process: cleaned.append(process.pid),
    )
    return supervisor, workers, messages, clock, cleaned


def test_a_killed_worker_is_started_again_after_a_pause_and_the_site_stays_up() -> None:
    supervisor, workers, messages, clock, cleaned = make_supervisor()
    assert supervisor.check() and len(workers) == 1

    workers[0].returncode = -9
    assert supervisor.check()
    assert messages == [
        "The task worker stopped (exit code -9); starting it again in 1 s. The site keeps running."
    ]
    assert cleaned == [workers[0].pid]  # whatever was left of its process group
    clock.now = 0.5
    assert supervisor.check() and len(workers) == 1
    clock.now = 1.0
    assert supervisor.check() and len(workers) == 2
    assert supervisor.worker is workers[1]
    assert supervisor.server.poll() is None


def test_a_worker_that_keeps_dying_waits_longer_each_time_up_to_half_a_minute() -> None:
    supervisor, workers, messages, clock, _ = make_supervisor()
    pauses = []
    for _ in range(7):
        workers[-1].returncode = 1
        supervisor.check()
        assert supervisor.restart_at is not None
        pauses.append(supervisor.restart_at - clock.now)
        clock.now = supervisor.restart_at
        supervisor.check()
    assert pauses == [1, 2, 4, 8, 16, 30, 30]
    assert len(workers) == 8


def test_a_worker_that_ran_for_a_while_before_dying_is_started_again_quickly() -> None:
    supervisor, workers, _, clock, _ = make_supervisor()
    for _ in range(3):  # three quick failures: 1, 2, then 4 s
        workers[-1].returncode = 1
        supervisor.check()
        clock.now = supervisor.restart_at or 0.0
        supervisor.check()
    clock.now += 600  # ten good minutes
    workers[-1].returncode = -9
    supervisor.check()
    assert supervisor.restart_at == clock.now + 1


def test_when_the_web_server_stops_the_supervisor_stops_everything() -> None:
    supervisor, workers, messages, _, _ = make_supervisor()
    supervisor.server.returncode = 1  # type: ignore[attr-defined]
    assert not supervisor.check()
    assert messages == []
    # The processes it hands to _stop: the live worker, the server, and any dead worker's
    # group that might still hold a grandchild.
    assert supervisor.processes == [workers[0], supervisor.server]


def test_stopping_leaves_no_process_behind_not_even_an_orphaned_grandchild() -> None:
    # Like the worker's autoreloader: a parent with a child, in a process group of its own.
    grandchild = "import time; time.sleep(60)"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time;"
            f" subprocess.Popen([sys.executable, '-c', {grandchild!r}]); time.sleep(60)",
        ],
        start_new_session=True,
    )
    time.sleep(0.5)
    parent.send_signal(signal.SIGKILL)  # the grandchild lives on, orphaned, in the group
    parent.wait()
    os.killpg(parent.pid, 0)

    started = time.monotonic()
    _stop([parent])

    assert time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):
        os.killpg(parent.pid, 0)
