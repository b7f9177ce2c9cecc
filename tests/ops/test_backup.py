"""Back up, change, restore, compare: on the database the suite runs on (SQLite or, with
DATABASE_URL, PostgreSQL; the test database is the scratch one), with the uploads."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company
from mapertunity.core.models import SentEmail
from mapertunity.ops.backup import read_manifest

from ..helpers import make_company

pytestmark = pytest.mark.django_db(transaction=True)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _state() -> dict[str, Any]:
    return {
        "users": sorted(User.objects.values_list("email", "is_staff")),
        "companies": sorted(Company.objects.values_list("name", "slug")),
        "emails": sorted(SentEmail.objects.values_list("key", flat=True)),
        "media": _files(Path(settings.MEDIA_ROOT)),
        "private": _files(Path(settings.PRIVATE_STORAGE_ROOT)),
    }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def site(settings: Any, tmp_path: Path) -> None:
    """A small site with rows and both kinds of upload, in folders of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    owner = User.objects.create_user("owner@harbor.example.com", "correct-horse-battery")
    User.objects.create_user("candidate@example.org", "correct-horse-battery")
    make_company(owner=owner, name="Harbor Freight Co-op", slug="harbor-freight-co-op")
    SentEmail.objects.create(key="welcome:1", claimed_at=timezone.now())
    _write(tmp_path / "media" / "logos" / "harbor.png", b"\x89PNG logo")
    _write(tmp_path / "private" / "resumes" / "a1b2.pdf", b"%PDF-1.4 the resume")


@pytest.mark.parametrize("name", ["site.tar", "site.tar.gz"])
def test_a_restore_brings_back_exactly_what_was_backed_up(
    site: None, tmp_path: Path, name: str
) -> None:
    archive = tmp_path / "backups" / name
    before = _state()
    call_command("backup", str(archive), stdout=io.StringIO())

    # Everything changes after the backup: rows, files, new and removed ones.
    User.objects.filter(email="candidate@example.org").delete()
    User.objects.create_user("later@example.org", "correct-horse-battery")
    Company.objects.update(name="Renamed Co-op")
    SentEmail.objects.create(key="later:2", claimed_at=timezone.now())
    (tmp_path / "private" / "resumes" / "a1b2.pdf").write_bytes(b"overwritten")
    _write(tmp_path / "private" / "resumes" / "new.pdf", b"%PDF-1.4 uploaded later")
    (tmp_path / "media" / "logos" / "harbor.png").unlink()
    changed = _state()
    assert changed != before

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert _state() == before
    # The site works on the restored database: a login reads it back.
    assert User.objects.get(email="owner@harbor.example.com").check_password(
        "correct-horse-battery"
    )


def test_the_archive_holds_the_database_the_uploads_and_a_manifest(
    site: None, tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    manifest = read_manifest(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert manifest["vendor"] == connection.vendor
    assert manifest["files"] == {"media": 1, "private": 1}
    assert {
        "manifest.json",
        manifest["database"],
        "media/logos/harbor.png",
        "private/resumes/a1b2.pdf",
    } <= names
    assert not (tmp_path / "site.tar.gz.partial").exists()


def test_a_backup_taken_while_another_connection_writes_holds_only_committed_rows(
    site: None, tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar"
    writer = connections.create_connection("default")
    try:
        with writer.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "INSERT INTO core_sentemail (key, status, claimed_at, claimed_by) "
                "VALUES (%s, %s, %s, %s)",
                ["uncommitted:1", "sending", timezone.now(), ""],
            )
            # The site keeps running: the backup neither waits for nor includes this.
            call_command("backup", str(archive), stdout=io.StringIO())
            cursor.execute("ROLLBACK")
    finally:
        writer.close()
    SentEmail.objects.create(key="after:1", claimed_at=timezone.now())

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())

    assert sorted(SentEmail.objects.values_list("key", flat=True)) == ["welcome:1"]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar"
    bogus.write_bytes(b"not a tar file")

    with pytest.raises(CommandError, match="not a Mapertunity backup"):
        call_command("restore", str(bogus), "--no-input")


def test_restore_asks_first_and_stops_on_anything_but_yes(
    site: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create_user("kept@example.org", "correct-horse-battery")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))

    assert User.objects.filter(email="kept@example.org").exists()
