"""``manage.py devserver``: the development site and the task worker, run together.

The site stays up when the worker dies: the worker is started again, after a pause that
grows while it keeps dying. If the web server stops, everything stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any, Protocol

from django.core.management.base import BaseCommand

from mapertunity.core.backoff import Backoff

STOP_GRACE_SECONDS = 10
POLL_SECONDS = 0.5


class Process(Protocol):
    pid: int

    def poll(self) -> int | None: ...


class Supervisor:
    """Watches the web server and the worker; starts the worker again when it stops."""

    def __init__(
        self,
        *,
        start_server: Callable[[], Process],
        start_worker: Callable[[], Process],
        log: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
        clean_up: Callable[[Process], object] = lambda process: _signal_group(
            process, signal.SIGTERM
        ),
    ) -> None:
        self._start_worker, self._log, self._clock, self._clean_up = (
            start_worker,
            log,
            clock,
            clean_up,
        )
        self._backoff = backoff or Backoff(first=1.0, cap=30.0, reset_after=60.0, clock=clock)
        self.server = start_server()
        self.worker = start_worker()
        self.restart_at: float | None = None
        self.stopped_workers: list[Process] = []

    @property
    def processes(self) -> list[Process]:
        return [self.worker, self.server, *self.stopped_workers]

    def check(self) -> bool:
        """One look at the children; False once the web server has stopped."""
        if self.server.poll() is not None:
            return False
        if self.restart_at is None:
            code = self.worker.poll()
            if code is not None:
                # Its process group may still hold a grandchild (the autoreloader's).
                self._clean_up(self.worker)
                self.stopped_workers.append(self.worker)
                delay = self._backoff.next_delay()
                self._log(
                    f"The task worker stopped (exit code {code}); starting it again in "
                    f"{delay:.0f} s. The site keeps running."
                )
                self.restart_at = self._clock() + delay
        elif self._clock() >= self.restart_at:
            self.worker = self._start_worker()
            self.restart_at = None
        return True


class Command(BaseCommand):
    help = (
        "Run the development server and the background task worker; a worker that stops "
        "is started again; Ctrl-C stops both."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        manage = [sys.executable, "manage.py"]

        def start(*command: str) -> subprocess.Popen[bytes]:
            # Each child leads its own process group, so stopping one also stops the
            # autoreloader's grandchild; the terminal's Ctrl-C reaches only this process.
            return subprocess.Popen([*manage, *command], start_new_session=True)

        # Also when started from a script that ignores SIGINT, Ctrl-C must stop everything.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        supervisor: Supervisor | None = None
        try:
            supervisor = Supervisor(
                start_server=lambda: start("runserver", addrport),
                start_worker=lambda: start("worker"),
                log=self.stderr.write,
            )
            while supervisor.check():
                time.sleep(POLL_SECONDS)
            self.stderr.write("The web server stopped; stopping the worker.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the site and the worker ...")
        finally:
            if supervisor is not None:
                _stop(supervisor.processes)


def _signal_group(process: Process, signum: int) -> bool:
    """Send `signum` to the process's group; False if nothing is left in it."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _stop(children: list[Any]) -> None:
    """SIGTERM to every child's process group, SIGKILL to whatever is left after the grace.

    It waits for the groups, not only the children: the worker's autoreloader dies at once
    while its child finishes the task in hand.
    """
    for child in children:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline:
        for child in children:
            child.poll()  # reaped, a dead leader no longer counts as in its group
        if not any(_signal_group(child, 0) for child in children):
            return
        time.sleep(0.1)
    for child in children:
        _signal_group(child, signal.SIGKILL)
        child.wait()
