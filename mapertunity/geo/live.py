"""A geo index kept in step with its source, maintained off the request path.

The big, immutable snapshot is built from all rows at once (and shared between processes
through :mod:`.snapshot`). Changes since are polled from the source: a changed or removed
point gets a tombstone on its snapshot row, and its new state (if it is still on the map)
goes into a small delta index (see :class:`~.view.View`). When the delta grows past a share
of the snapshot, or the source has more changes waiting than a delta should hold (a bulk
load), a new snapshot is built and the changes since its start are replayed on top.

Who does that work depends on ``refresh_seconds``:

- above zero (production), a maintenance thread per process polls every
  ``refresh_seconds`` and builds in the background. :meth:`LiveIndex.view` never waits for
  the database: before the first build it returns the last published snapshot (marked
  ``stale`` until caught up) or ``None``, and the caller answers some other way.
- zero (the test suite), every :meth:`LiveIndex.view` call polls in the caller's thread
  and builds if it must, so a write is on the map at the next call, deterministically.

The source is anything with ``load()`` and ``poll(token, limit)`` (see :class:`Source`); it
knows the database, this module does not.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from mapertunity.geo import snapshot
from mapertunity.geo.index import PointIndex
from mapertunity.geo.view import TOUCH_LOG, Rows, Schema, Touch, View

__all__ = ["Changes", "LiveIndex", "Rows", "Schema", "Source", "View"]

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
"""A failing source (the database restarting) is retried at most this far apart."""


@dataclass(frozen=True)
class Changes:
    """What a poll found: rows to show (new or changed), ids to hide, the new token."""

    rows: Rows | None
    gone: np.ndarray
    token: dict[str, Any]
    rebuild: bool = False
    """The changes can't (or shouldn't) be applied as a delta: more are waiting than
    ``limit``, rows vanished wholesale, or the token is too old to replay from."""


class Source(Protocol):
    schema: Schema

    def load(self) -> tuple[Rows, dict[str, Any]]:
        """Every point that should be on the map, and a token for the state they reflect.

        Changes made while loading may be in the rows or not: the token must be from before
        the read, so that replaying from it (idempotent re-reads) catches them either way.
        """

    def poll(self, token: dict[str, Any], limit: int) -> Changes | None:
        """Changes since ``token`` (None if nothing changed); ``rebuild`` if more than
        ``limit`` points changed. Must be cheap when idle.

        A source may also have ``prepare()`` (called before each maintenance tick, in the
        maintenance thread) and ``close()`` (called when a thread is done with it)."""


class LiveIndex:
    """The current :class:`View` of a source.

    ``directory`` enables the shared snapshot: the first process to need an index builds
    and writes it, the others map it; whoever rebuilds later publishes the new version and
    the others switch to it on their next poll, replaying only the changes since it. The
    delta is rebuilt on every change, so it is kept small: past ``max_delta`` rows or
    ``max_delta_share`` of the snapshot (whichever is more), a new snapshot is built.
    ``background=False`` keeps all work in the callers' threads even when
    ``refresh_seconds`` is above zero (polls then happen in :meth:`view` when due).
    """

    def __init__(
        self,
        source: Source,
        *,
        name: str,
        directory: Path | None = None,
        refresh_seconds: float | Callable[[], float] = 0.5,
        max_delta: int = 20_000,
        max_delta_share: float = 0.005,
        background: bool = True,
    ) -> None:
        self.source = source
        self.name = name
        self.directory = Path(directory) if directory else None
        self._refresh = refresh_seconds
        self.max_delta = max_delta
        self.max_delta_share = max_delta_share
        self.background = background
        self._view: View | None = None
        self._token: dict[str, Any] = {}
        self._serial = 0
        self._checked = 0.0
        self._init_threads()

    def _init_threads(self) -> None:
        # Also after a fork: the parent's threads and lock states don't carry over.
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._done = threading.Condition()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._rebuilding: threading.Thread | None = None
        self._ticks_started = 0
        self._ticks_done = 0
        self._failures = 0

    # -- reading --------------------------------------------------------------------------

    def refresh_seconds(self) -> float:
        return self._refresh() if callable(self._refresh) else self._refresh

    @property
    def inline(self) -> bool:
        """Whether maintenance runs in the callers' threads rather than its own."""
        return not self.background or self.refresh_seconds() <= 0

    def view(self) -> View | None:
        """The current state, never waiting for the database in background mode (``None``
        until a first snapshot is there); inline, polled first if the last poll is old."""
        if self._pid != os.getpid():
            self._init_threads()
        if not self.inline:
            self._ensure_thread()
            return self._view
        view = self._view
        if view is not None and time.monotonic() - self._checked < self.refresh_seconds():
            return view
        with self._lock:
            if self._view is None:
                self._start(wait=True)
            elif time.monotonic() - self._checked >= self.refresh_seconds():
                self._poll(wait=True)
            self._checked = time.monotonic()
            return self._view

    def applied(self) -> tuple[View | None, dict[str, Any]]:
        """The current view and the source token it reflects, as they are: no poll, no
        build, no thread started (for a health check that measures how far behind it is)."""
        return self._view, dict(self._token)

    def refresh(self, timeout: float = 30.0) -> View:
        """Apply everything the source holds now, and return the view that has it.

        For tests, commands and benchmarks: inline it polls (and builds) at once; in the
        background it wakes the maintenance thread and waits for a poll that started after
        this call, then for any rebuild it set off and the replay after it.
        """
        if self.inline:
            with self._lock:
                if self._view is None:
                    self._start(wait=True)
                else:
                    self._poll(wait=True)
                self._checked = time.monotonic()
                assert self._view is not None  # a start always sets one
                return self._view
        deadline = time.monotonic() + timeout
        self._ensure_thread()
        while True:
            with self._done:
                target = self._ticks_started + 1
                self._wake.set()
                while self._ticks_done < target:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"map index {self.name} did not refresh in time")
                    self._done.wait(min(left, 0.5))
                    self._wake.set()
            view = self._view
            busy = self._rebuilding is not None and self._rebuilding.is_alive()
            if view is not None and not view.stale and not busy:
                return view
            if time.monotonic() > deadline:
                raise TimeoutError(f"map index {self.name} is still catching up")
            time.sleep(0.01)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the maintenance and rebuild threads (tests, shutdown)."""
        self._stopping.set()
        self._wake.set()
        for thread in (self._thread, self._rebuilding):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout)
        self._thread = None
        self._stopping.clear()

    def reset(self) -> None:
        """Stop and forget everything; the next use loads or builds afresh."""
        self.stop()
        with self._lock:
            self._view = None
            self._token = {}
            self._checked = 0.0

    # -- the maintenance thread -----------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"mapindex-{self.name}", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                with self._done:
                    self._ticks_started += 1
                    tick = self._ticks_started
                try:
                    prepare = getattr(self.source, "prepare", None)
                    if prepare is not None:
                        prepare()
                    with self._lock:
                        rebuilding = self._rebuilding is not None and self._rebuilding.is_alive()
                        if self._view is None:
                            self._start(wait=False)
                        elif not (rebuilding and self._view.stale):
                            # Changes keep flowing into the old view during a rebuild the
                            # delta's size set off; after the swap they are replayed.
                            self._poll(wait=False)
                    self._failures = 0
                except Exception:
                    self._failures += 1
                    log.exception("map index %s: maintenance failed; retrying", self.name)
                    self._close_source()
                with self._done:
                    self._ticks_done = tick
                    self._done.notify_all()
                delay = self.refresh_seconds()
                if self._failures:
                    delay = min(max(delay, 0.1) * 2**self._failures, MAX_BACKOFF_SECONDS)
                self._wake.wait(delay if delay > 0 else 0.5)
        finally:
            self._close_source()

    def _close_source(self) -> None:
        close = getattr(self.source, "close", None)
        if close is not None:
            try:
                close()
            except Exception:
                log.exception("map index %s: closing the source failed", self.name)

    # -- states ---------------------------------------------------------------------------

    def _start(self, *, wait: bool) -> None:
        """Map the shared snapshot if there is a usable one, else build (and share) one.

        ``wait=False`` (the maintenance thread) never blocks on another process's build:
        it returns and tries again on the next tick.
        """
        if self.directory is None:
            self._set(*self._build(), f"mem-{time.time_ns()}")
            self._poll(wait=wait)
            return
        if self._load_current():
            self._poll(wait=wait)
            return
        with snapshot.build_lock(self.directory, self.name, wait=wait) as mine:
            if not mine:
                return
            # Someone may have finished building while we waited for the lock.
            if not self._load_current():
                self._publish(*self._build())
        self._poll(wait=wait)

    def _load_current(self) -> bool:
        assert self.directory is not None
        version = snapshot.current_version(self.directory, self.name)
        if version is None:
            return False
        try:
            index, source = snapshot.load(self.directory, self.name, version)
        except (OSError, ValueError, KeyError) as error:
            log.warning("map index snapshot %s unusable (%s); rebuilding", version, error)
            return False
        if source.get("schema") != self.source.schema.describe():
            return False
        # Stale until the changes since the snapshot are replayed on top of it.
        self._set(index, source["token"], version, stale=True)
        return True

    def _build(self) -> tuple[PointIndex, dict[str, Any]]:
        rows, token = self.source.load()
        return self.source.schema.build(rows), token

    def _publish(self, index: PointIndex, token: dict[str, Any]) -> None:
        assert self.directory is not None
        source = {"token": token, "schema": self.source.schema.describe()}
        version = snapshot.write(self.directory, self.name, index, source)
        # Serve the mapped copy, so this process shares pages with the others.
        index, _ = snapshot.load(self.directory, self.name, version)
        self._set(index, token, version, stale=True)

    def _set(
        self, index: PointIndex, token: dict[str, Any], version: str, *, stale: bool = False
    ) -> None:
        self._serial += 1
        empty = Rows.empty(self.source.schema)
        self._token = dict(token)
        self._view = View(
            base=index,
            tombs=np.empty(0, dtype=np.int64),
            delta=self.source.schema.build(empty),
            delta_rows=empty,
            version=version,
            serial=self._serial,
            stale=stale,
        )

    def _mark(self, *, stale: bool) -> None:
        if self._view is not None and self._view.stale != stale:
            self._serial += 1
            none = np.empty(0, dtype=np.int64)
            self._view = replace(
                self._view,
                stale=stale,
                serial=self._serial,
                touched=(*self._view.touched, Touch(self._serial, none, none))[-TOUCH_LOG:],
            )

    def _limit(self) -> int:
        """Changes a delta may take; past it a rebuild is cheaper than the delta."""
        base = len(self._view.base) if self._view is not None else 0
        return max(self.max_delta, int(base * self.max_delta_share))

    def _poll(self, *, wait: bool) -> None:
        assert self._view is not None
        if self.directory is not None:
            version = snapshot.current_version(self.directory, self.name)
            if version is not None and version > self._view.version:
                # Another process published a newer snapshot: switch to it.
                self._load_current()
        changes = self.source.poll(self._token, self._limit())
        if changes is None:
            self._mark(stale=False)
            return
        if changes.rebuild:
            log.info("map index %s: rebuilding (changes the delta shouldn't hold)", self.name)
            self._mark(stale=True)
            if wait:
                self._rebuild_now()
            else:
                self.rebuild_soon()
            return
        self._apply(changes)
        assert self._view is not None
        if len(self._view.delta_rows) + len(self._view.tombs) > self._limit():
            if wait:
                self._rebuild_now()
            else:
                self.rebuild_soon()

    def _apply(self, changes: Changes) -> None:
        view = self._view
        assert view is not None
        changed = changes.gone.astype(np.int64)
        if changes.rows is not None and len(changes.rows):
            changed = np.concatenate((changed, changes.rows.ids.astype(np.int64)))
        tombs = view.tombs
        if len(changed):
            tombs = np.union1d(tombs, view.base.positions_of(changed))
        keep = ~np.isin(view.delta_rows.ids, changed)
        parts = [view.delta_rows.take(keep)]
        if changes.rows is not None and len(changes.rows):
            parts.append(changes.rows)
        delta_rows = Rows.concat(parts)
        delta = self.source.schema.build(delta_rows)
        self._serial += 1
        self._token = dict(changes.token)
        # Where the changed points were (snapshot and delta) and where they are now.
        keys = [view.base.key[view.base.positions_of(changed)]]
        keys.append(view.delta.key[view.delta.positions_of(changed)])
        if changes.rows is not None and len(changes.rows):
            keys.append(delta.key[delta.positions_of(changes.rows.ids)])
        touch = Touch(self._serial, np.unique(np.concatenate(keys)), np.unique(changed))
        self._view = replace(
            view,
            tombs=tombs,
            delta=delta,
            delta_rows=delta_rows,
            serial=self._serial,
            stale=False,
            touched=(*view.touched, touch)[-TOUCH_LOG:],
        )

    # -- rebuilds -------------------------------------------------------------------------

    def _rebuild_now(self) -> None:
        if self.directory is None:
            self._set(*self._build(), f"mem-{time.time_ns()}", stale=True)
        else:
            with snapshot.build_lock(self.directory, self.name, wait=True):
                self._publish(*self._build())
        changes = self.source.poll(self._token, self._limit())
        if changes is None:
            self._mark(stale=False)
        elif not changes.rebuild:
            self._apply(changes)

    def rebuild_soon(self) -> None:
        """Build a new snapshot in a background thread and swap it in when done; the
        current view keeps answering meanwhile."""
        if self.inline:
            with self._lock:
                self._rebuild_now()
            return
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return
        self._rebuilding = threading.Thread(
            target=self._rebuild_in_background, name=f"rebuild-{self.name}", daemon=True
        )
        self._rebuilding.start()

    def _rebuild_in_background(self) -> None:
        try:
            if self.directory is not None:
                with snapshot.build_lock(self.directory, self.name, wait=False) as mine:
                    if not mine:
                        return  # another process is building; we switch when it publishes
                    index, token = self._build()
                    source = {"token": token, "schema": self.source.schema.describe()}
                    version = snapshot.write(self.directory, self.name, index, source)
                    index, _ = snapshot.load(self.directory, self.name, version)
            else:
                index, token = self._build()
                version = f"mem-{time.time_ns()}"
            with self._lock:
                # Stale until the maintenance thread replays the changes since the build.
                self._set(index, token, version, stale=True)
            self._wake.set()
        except Exception:
            log.exception("map index %s: background rebuild failed", self.name)
        finally:
            self._close_source()
