"""``manage.py screen_jobs FILE``: run the scam screen over postings in JSON Lines.

Each input line is one posting: ``title``, ``company``, ``description``, ``pay_min``,
``pay_max``, ``currency``, ``period`` (hour, day, week, month or year), ``city``,
``country``, and optionally ``contact_email`` and ``company_website`` (and
``company_city``/``company_country``, the company's verified location). Each output line
is ``{"held": true|false, "score": <number>, "reasons": [...]}``, in input order; a line
that can't be read is held, with the reason. ``-`` reads standard input.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from mapertunity.jobs.screen import Posting, VerdictDict, screen
from mapertunity.jobs.screen.context import RecordError, posting_from_record


def site_database_ready() -> bool:
    """Whether the site's tables are there to compare postings with (a fresh checkout
    may screen a file before anyone ran ``migrate``)."""
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return False
    return {"jobs_job", "companies_company"} <= tables


def screen_lines(lines: Iterable[str], *, site: bool = True) -> Iterator[VerdictDict]:
    earlier: list[Posting] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            posting = posting_from_record(json.loads(line), earlier, site=site)
        except (json.JSONDecodeError, RecordError) as error:
            reason = f"Line {number} can't be read: {error}"
            yield {"held": True, "score": 0.0, "reasons": [reason]}
            continue
        earlier.append(posting)
        yield screen(posting).to_dict()


class Command(BaseCommand):
    help = "Score postings (JSON Lines) with the scam screen; one JSON verdict per line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="A JSON Lines file, or - for standard input.")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Don't compare with the site's companies and jobs, only within the file.",
        )

    def handle(self, *args: Any, file: str, offline: bool, **options: Any) -> None:
        try:
            handle = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}") from error
        with handle:
            site = not offline and site_database_ready()
            for verdict in screen_lines(handle, site=site):
                self.stdout.write(json.dumps(verdict, ensure_ascii=False))
