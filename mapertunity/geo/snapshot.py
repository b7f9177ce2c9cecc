"""An index's arrays on disk, memory-mapped by every process of a server.

Layout under ``<directory>/<name>/``::

    CURRENT            the name of the current version's folder (replaced atomically)
    v-<stamp>/         one .npy file per array and meta.json
    build.lock         held while a process builds and writes a new version

A version is written to a temporary folder and renamed into place, then CURRENT is
replaced with ``os.replace``, so a reader sees either the old or the new version, never a
half-written one. Readers open the arrays with ``np.load(mmap_mode="r")``: the operating
system keeps one copy in its page cache however many worker processes map it. Old versions
are deleted after a newer one is current; a process still mapping one keeps reading it
(POSIX keeps an unlinked file alive while it is mapped).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from mapertunity.geo.index import PointIndex

_KEEP = 2
"""Versions kept besides the current one, for processes still mapping them."""


def _folder(directory: Path, name: str) -> Path:
    folder = Path(directory) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def current_version(directory: Path, name: str) -> str | None:
    """The current version's folder name, or None if nothing was written yet."""
    try:
        return (Path(directory) / name / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def write(directory: Path, name: str, index: PointIndex, source: dict[str, Any]) -> str:
    """Save the index and ``source`` (what the data reflects) as the new current version."""
    folder = _folder(directory, name)
    version = f"v-{time.time_ns():020d}-{os.getpid()}"
    tmp = folder / f".tmp-{version}"
    tmp.mkdir()
    files = {}
    for i, (array_name, array) in enumerate(sorted(index.arrays.items())):
        filename = f"a{i:02d}.npy"
        np.save(tmp / filename, np.ascontiguousarray(array), allow_pickle=False)
        files[array_name] = filename
    meta = {"index": index.meta, "files": files, "source": source, "written": time.time()}
    (tmp / "meta.json").write_text(json.dumps(meta))
    for path in tmp.iterdir():
        with path.open("rb") as f:
            os.fsync(f.fileno())
    os.rename(tmp, folder / version)
    pointer = folder / f".CURRENT-{version}"
    pointer.write_text(version)
    os.replace(pointer, folder / "CURRENT")
    _prune(folder, version)
    return version


def _prune(folder: Path, current: str) -> None:
    versions = sorted(p.name for p in folder.iterdir() if p.name.startswith("v-"))
    old = [v for v in versions if v != current][:-_KEEP] if _KEEP else versions
    for version in old:
        shutil.rmtree(folder / version, ignore_errors=True)
    for stale in folder.glob(".tmp-*"):
        # A crashed writer's leftovers; anything this old is not being written any more.
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)


def load(directory: Path, name: str, version: str) -> tuple[PointIndex, dict[str, Any]]:
    """Map a version's arrays read-only; returns the index and its ``source`` dict."""
    folder = Path(directory) / name / version
    meta = json.loads((folder / "meta.json").read_text())
    # Plain ndarray views of the maps: the same pages, without np.memmap's per-slice
    # __getitem__ and __array_finalize__ (about a tenth of a map query's time). Each view
    # holds its memmap, so the file stays mapped while the index lives.
    arrays = {
        array_name: np.load(folder / filename, mmap_mode="r", allow_pickle=False).view(np.ndarray)
        for array_name, filename in meta["files"].items()
    }
    return PointIndex(arrays, meta["index"]), meta["source"]


def build_lock(
    directory: Path, name: str, *, wait: bool
) -> contextlib.AbstractContextManager[bool]:
    """Hold the build lock; yields False at once if ``wait`` is off and it is taken."""
    return file_lock(_folder(directory, name) / "build.lock", wait=wait)


@contextlib.contextmanager
def file_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` among processes (``flock``, released if the
    holder dies); yields False at once if ``wait`` is off and another process holds it."""
    with open(path, "a+b") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
