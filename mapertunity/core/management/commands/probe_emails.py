"""``manage.py probe_emails N``: enqueue N probe emails (core/probes.py) and print their keys."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mapertunity.core.probes import probe_email


class Command(BaseCommand):
    help = "Enqueue probe emails on the configured task backend, one key per line on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--pause", type=float, default=0.0, help="seconds inside each task")
        parser.add_argument("--to", default="probe@example.com")

    def handle(self, *, count: int, pause: float, to: str, **_: Any) -> None:
        run = uuid.uuid4().hex[:8]
        for number in range(count):
            key = f"{run}-{number}"
            probe_email.enqueue(key, to, pause)
            self.stdout.write(key)
