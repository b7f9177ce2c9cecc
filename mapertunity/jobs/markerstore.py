"""The single jobs' marker fields, kept on disk beside the map's snapshot.

A map answer writes every single job it shows with its title, company, pay, place and
link. Read from the database, that is a query per answer that meets jobs for the first
time (with 1M jobs, most answers of a panning user). So once a snapshot is current, one
process writes its jobs' marker JSON next to it, in the snapshot's row order (Morton key
order, so the jobs of one tile sit together), and every process memory-maps it::

    <MAP_INDEX_DIR>/<index name>/markers-<version>/offsets.npy   row i is blob[o[i]:o[i+1]]
                                                    blob.bin

A stored marker holds the job's own fields only. What can change without a write to the
job — the company's name and its responsiveness — is added when an answer is made, from a
per-process table refreshed every ``COMPANY_SECONDS``. A job changed since the snapshot
(tombstoned there) is read from the database as before, and so is every job while the
file is being written.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import orjson
from django.conf import settings
from django.db import connections
from django.urls import set_script_prefix

from mapertunity.geo.live import LiveIndex, View
from mapertunity.geo.snapshot import file_lock

from .models import Job, JobMarker

log = logging.getLogger(__name__)

CHUNK = 500
COMPANY_SECONDS = 30.0
"""How long a company's name and responsiveness are reused (as the answer cache's entries)."""
OWN_FIELDS = ("company",)
"""Marker fields that are not the job's own: added per answer, not stored."""

CompanyFields = Callable[[list[JobMarker]], None]


class MarkerStore:
    """One snapshot's marker JSON, memory-mapped: the members of each row's object."""

    def __init__(self, folder: Path) -> None:
        self.offsets = np.load(folder / "offsets.npy", mmap_mode="r").view(np.ndarray)
        self.company = np.load(folder / "company.npy", mmap_mode="r").view(np.ndarray)
        size = int(self.offsets[-1])
        self.blob = np.memmap(folder / "blob.bin", dtype=np.uint8, mode="r") if size else None

    def members(self, row: int) -> bytes:
        """The stored JSON members of a row's marker (empty if the job was gone)."""
        start, stop = int(self.offsets[row]), int(self.offsets[row + 1])
        return b"" if self.blob is None else self.blob[start:stop].tobytes()


def _folder(view: View, live: LiveIndex) -> tuple[Path, bool] | None:
    """Where the view's markers go, and whether the index is maintained inline (then they
    are written in the caller's thread, as the index is: tests, commands)."""
    if not settings.MAP_INDEX_DIR:
        return None
    return Path(settings.MAP_INDEX_DIR) / live.name / f"markers-{view.version}", live.inline


_stores: dict[str, MarkerStore] = {}
_writing: set[str] = set()
_lock = threading.Lock()


def store(view: View, live: LiveIndex) -> MarkerStore | None:
    """The snapshot's markers of ``live``'s view, or None until they are written (which
    this starts, in a background thread, in the first process to ask)."""
    found = _stores.get(view.version)
    if found is not None:
        return found
    where = _folder(view, live)
    if where is None:
        return None
    folder, inline = where
    if inline and not (folder / "offsets.npy").exists():
        _write_in_background(view, folder, close=False)
    with _lock:
        if (found := _stores.get(view.version)) is not None:
            return found
        if (folder / "offsets.npy").exists():
            found = MarkerStore(folder)
            _stores.clear()  # one snapshot at a time: an older one is not asked again
            _stores[view.version] = found
            return found
        if view.version not in _writing and not inline:
            _writing.add(view.version)
            threading.Thread(
                target=_write_in_background,
                args=(view, folder),
                daemon=True,
                name=f"markers-{view.version}",
            ).start()
    return None


def _write_in_background(view: View, folder: Path, *, close: bool = True) -> None:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        # The one process writing markers for this index; the others go on with SQL.
        with file_lock(folder.parent / "markers.lock", wait=False) as mine:
            if mine and not (folder / "offsets.npy").exists():
                started = time.monotonic()
                write(view.base.id, folder)
                log.info(
                    "map markers for %s written in %.1f s", view.version, time.monotonic() - started
                )
        _prune(folder.parent, keep=folder.name)
    except Exception:
        log.exception(
            "map markers for %s could not be written; reading them from SQL", view.version
        )
    finally:
        if close:
            connections.close_all()
        with _lock:
            _writing.discard(view.version)


def write(ids: np.ndarray, folder: Path) -> None:
    """Write the markers of the jobs ``ids`` (a snapshot's id column, in row order)."""
    set_script_prefix(getattr(settings, "FORCE_SCRIPT_NAME", None) or "/")
    tmp = folder.parent / f".tmp-{folder.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    company = np.full(len(ids), -1, dtype=np.int64)
    at = 0
    with open(tmp / "blob.bin", "wb") as blob:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK].tolist()
            found = {m["id"]: m for m in Job.objects.filter(pk__in=chunk).order_by().markers()}
            pieces = []
            for i, job_id in enumerate(chunk):
                marker = found.get(job_id)
                piece = b"" if marker is None else stored_members(marker)
                if marker is not None:
                    company[start + i] = marker["company_id"]
                pieces.append(piece)
                at += len(piece)
                offsets[start + i + 1] = at
            blob.write(b"".join(pieces))
        blob.flush()
        os.fsync(blob.fileno())
    np.save(tmp / "company.npy", company, allow_pickle=False)
    np.save(tmp / "offsets.npy", offsets, allow_pickle=False)
    os.rename(tmp, folder)


def stored_members(marker: JobMarker) -> bytes:
    """A marker's own fields as JSON members (``"id":1,"title":...``), as stored."""
    own = {k: v for k, v in marker.items() if k not in OWN_FIELDS}
    return orjson.dumps(own)[1:-1]


def _prune(directory: Path, keep: str) -> None:
    """Drop the markers of snapshots that are gone (the snapshot prunes its own)."""
    for folder in directory.glob("markers-*"):
        if folder.name != keep and not (directory / folder.name.removeprefix("markers-")).exists():
            shutil.rmtree(folder, ignore_errors=True)


# -- what is added per answer -----------------------------------------------------------


_companies: dict[int, tuple[float, bytes]] = {}


def company_members(company_ids: set[int], fields: list[CompanyFields]) -> dict[int, bytes]:
    """``"company":"…"`` and whatever the apps add per company (responsiveness), as JSON
    members to append to a stored marker; refreshed after ``COMPANY_SECONDS``."""
    now = time.monotonic()
    out: dict[int, bytes] = {}
    missing = []
    for cid in company_ids:
        found = _companies.get(cid)
        if found is not None and now - found[0] < COMPANY_SECONDS:
            out[cid] = found[1]
        else:
            missing.append(cid)
    if missing:
        from mapertunity.companies.models import Company

        names = dict(Company.objects.filter(pk__in=missing).values_list("id", "name"))
        probes: list[JobMarker] = [
            {"company_id": cid, "company": names.get(cid, "")}  # type: ignore[typeddict-item]
            for cid in missing
        ]
        for add in fields:
            add(probes)
        if len(_companies) > 50_000:
            _companies.clear()
        for probe in probes:
            cid = probe["company_id"]
            extra = {k: v for k, v in probe.items() if k != "company_id"}
            members = orjson.dumps(extra)[1:-1]
            _companies[cid] = (now, members)
            out[cid] = members
    return out


def reset() -> None:
    """Forget the mapped stores and company table (between tests)."""
    with _lock:
        _stores.clear()
    _companies.clear()
