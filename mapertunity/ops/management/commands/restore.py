"""``manage.py restore PATH``: put back the database and files of a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapertunity.ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database and the uploaded files "
        "become exactly what the backup holds. Stop the site and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive `manage.py backup` wrote")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="don't ask for confirmation",
        )

    def handle(self, *, path: Path, database: str, interactive: bool, **options: Any) -> None:
        try:
            manifest = read_manifest(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if interactive:
            answer = input(
                f"This replaces the database and every uploaded file with the backup taken "
                f"{manifest['created_at']} on {manifest['host']}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}. Start the site and the "
                "worker again: each server rebuilds its map index from the restored jobs."
            )
        )
