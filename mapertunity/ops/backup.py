"""Backups of the whole site, taken while it runs, and restoring one.

A backup is one tar archive (gzip-compressed when its name ends in ``.gz`` or ``.tgz``)::

    manifest.json        what it holds: the database vendor, when, from where
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
    database.dump        PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    media/...            MEDIA_ROOT: company logos, blog images
    private/...          PRIVATE_STORAGE_ROOT: resumes and other private uploads

The database is copied first and the files after it, so every file a row names is in the
archive (uploads get new random names; they are not rewritten in place). The map index
snapshots, staticfiles and the development mailbox are derived or throw-away and are left
out. A restore puts back the database and both folders as they were and removes the map
index snapshots, so every server rebuilds its index from the restored rows when it starts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"


class BackupError(Exception):
    """A backup or restore that can't go ahead, with the reason for the operator."""


def _folders() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_STORAGE_ROOT)}


def _open(path: Path, *, write: bool, named: Path | None = None) -> tarfile.TarFile:
    """The archive at ``path``; written gzip-compressed if ``named`` (or ``path``) says .gz."""
    if not write:
        return tarfile.open(path, "r:*")
    if (named or path).name.endswith((".gz", ".tgz")):
        return tarfile.open(path, "w:gz")
    return tarfile.open(path, "w")


# -- PostgreSQL's tools -------------------------------------------------------------------


def _pg_env(db: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for the database: the password never appears in a command line."""
    conf = db.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    env["PGDATABASE"] = str(conf["NAME"])
    if sslmode := (conf.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} was not found; install the PostgreSQL client tools "
            "(Debian: postgresql-client) in the server's major version or newer."
        )
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


# -- backing up ---------------------------------------------------------------------------


def _copy_sqlite(db: BaseDatabaseWrapper, target: Path) -> None:
    """SQLite's online backup: a consistent copy while other connections read and write."""
    source = sqlite3.connect(str(db.settings_dict["NAME"]), timeout=60)
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
        finally:
            copy.close()
    finally:
        source.close()


def _add_folder(archive: tarfile.TarFile, folder: Path, name: str) -> int:
    """Add the folder's files under ``name/``; the number of files added."""
    count = 0
    if not folder.is_dir():
        return 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for filename in sorted(files):
            path = Path(root) / filename
            try:
                archive.add(str(path), arcname=f"{name}/{path.relative_to(folder)}")
            except FileNotFoundError:
                continue  # deleted while we walked: it was no longer referenced
            count += 1
    return count


def backup(path: Path, *, using: str = "default") -> dict[str, Any]:
    """Write a backup of the database and the uploaded files to ``path``; its manifest."""
    db = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "vendor": db.vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "files": {},
    }
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="mapertunity-backup-") as work:
        if db.vendor == "sqlite":
            member = SQLITE_MEMBER
            _copy_sqlite(db, Path(work) / member)
        elif db.vendor == "postgresql":
            member = POSTGRES_MEMBER
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-acl",
                 f"--file={Path(work) / member}"],
                _pg_env(db),
            )  # fmt: skip
        else:
            raise BackupError(f"Backups of {db.vendor} databases are not supported.")
        manifest["database"] = member
        with _open(partial, write=True, named=path) as archive:
            archive.add(str(Path(work) / member), arcname=member)
            for name, folder in _folders().items():
                manifest["files"][name] = _add_folder(archive, folder, name)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    # Only a finished archive gets the name: a backup cut short never looks complete.
    os.replace(partial, path)
    return manifest


# -- restoring ----------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with _open(path, write=False) as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not a Mapertunity backup ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {manifest.get('format')!r}, not {FORMAT}.")
    return manifest


def _restore_sqlite(db: BaseDatabaseWrapper, copy: Path) -> None:
    """Write the copy's pages over the live database with the backup API, in one step,
    under SQLite's lock (other processes wait, then see the restored database)."""
    db.close()
    source = sqlite3.connect(str(copy))
    try:
        target = sqlite3.connect(str(db.settings_dict["NAME"]), timeout=60)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _restore_postgres(db: BaseDatabaseWrapper, dump: Path) -> None:
    """Drop what the dump holds and recreate it, all in one transaction."""
    db.close()
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
         "--single-transaction", "--exit-on-error", f"--dbname={db.settings_dict['NAME']}",
         str(dump)],
        _pg_env(db),
    )  # fmt: skip


def _replace_folder(staged: Path, folder: Path) -> None:
    """Make ``folder`` hold exactly what ``staged`` holds."""
    folder.mkdir(parents=True, exist_ok=True)
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(str(child), str(folder / child.name))


def restore(path: Path, *, using: str = "default") -> dict[str, Any]:
    """Put the database and the uploaded files back as the backup at ``path`` has them."""
    path = Path(path)
    manifest = read_manifest(path)
    db = connections[using]
    if manifest["vendor"] != db.vendor:
        raise BackupError(
            f"{path} holds a {manifest['vendor']} database; this site uses {db.vendor}."
        )
    folders = _folders()
    with tempfile.TemporaryDirectory(prefix="mapertunity-restore-") as work:
        with _open(path, write=False) as archive:
            # The "data" filter refuses absolute paths, "..", devices and links out.
            archive.extractall(work, filter="data")
        staged = Path(work)
        member = staged / manifest["database"]
        if not member.is_file():
            raise BackupError(f"{path} has no {manifest['database']}.")
        if db.vendor == "sqlite":
            _restore_sqlite(db, member)
        else:
            _restore_postgres(db, member)
        for name, folder in folders.items():
            _replace_folder(staged / name, folder)
    if settings.MAP_INDEX_DIR:
        # Snapshots of the rows before the restore: every server must build afresh.
        shutil.rmtree(settings.MAP_INDEX_DIR, ignore_errors=True)
    return manifest
