"""``manage.py backup PATH``: the database and the uploaded files, while the site runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapertunity.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup or pg_dump) and the uploaded files "
        "(MEDIA_ROOT, PRIVATE_STORAGE_ROOT) into one tar archive; .tar.gz compresses it. "
        "Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to write, e.g. backup.tar.gz")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *, path: Path, database: str, **options: Any) -> None:
        if path.exists() and path.is_dir():
            raise CommandError(f"{path} is a folder; name the archive file to write.")
        try:
            manifest = backup(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = ", ".join(f"{count} in {name}" for name, count in manifest["files"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['vendor']} database and files ({files}) to {path}."
            )
        )
