"""``manage.py devserver``: the development site and the task worker, run together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run the development server and the background task worker; Ctrl-C stops both."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        manage = [sys.executable, "manage.py"]
        # Each child leads its own process group, so stopping one also stops the
        # autoreloader's grandchild; the terminal's Ctrl-C reaches only this process.
        children = [
            subprocess.Popen([*manage, "db_worker"], start_new_session=True),
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),
        ]
        # Also when started from a script that ignores SIGINT, Ctrl-C must stop everything.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            self.stderr.write("A process stopped; stopping the other.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the site and the worker ...")
        finally:
            _stop(children)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
