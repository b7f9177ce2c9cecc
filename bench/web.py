"""End to end: requests/s of the clusters endpoint under gunicorn, against a bare Django JSON
view on the same server (loopback only, bounded by time and count).

The server runs the site on the benchmark's SQLite database with one sync worker per core;
the first request starts the map index's build in the background (answered from SQL,
marked stale, meanwhile); one worker writes the shared snapshot, the other maps it. Timing
starts once every worker answers from its index. The load generator is a small threaded
client on the same machine, so both endpoints share the CPU with it the same way and the
ratio is fair.
"""

from __future__ import annotations

import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30.0, etag: str = "") -> tuple[int, bytes]:
    """One GET with a fresh connection (sync workers close it); (status, response)."""
    return _fetch(port, path, timeout, etag)


def _fetch(port: int, path: str, timeout: float = 30.0, etag: str = "") -> tuple[int, bytes]:
    condition = f"If-None-Match: {etag}\r\n" if etag else ""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{condition}Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request.encode())
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    response = b"".join(chunks)
    status = int(response[9:12]) if response[:5] == b"HTTP/" else 0
    return status, response


def _etag(response: bytes) -> str:
    head = response.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"etag:"):
            return line.split(b":", 1)[1].strip().decode()
    return ""


def _path(box: tuple) -> str:
    w, s, e, n, zoom = box
    return "/api/v1/map/jobs?" + urllib.parse.urlencode(
        {"bbox": f"{w:.5f},{s:.5f},{e:.5f},{n:.5f}", "zoom": zoom}
    )


def view_tiles(box: tuple) -> list[str]:
    """The tile requests the site's map makes for a viewport: every 512 px tile (the
    ground of a tile one zoom out) that the box touches, columns wrapped around the world,
    in row order."""
    w, s, e, n, zoom = box
    z = max(zoom - 1, 0)
    count = 1 << z

    def column(lng: float) -> int:
        return min(int((lng + 180.0) / 360.0 * count), count - 1)

    def row(lat: float) -> int:
        y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0
        return min(max(int(y * count), 0), count - 1)

    x0, x1 = column(w), column(e)
    if e - w >= 359.9:
        x0, x1 = 0, count - 1
    elif x1 < x0:
        x1 += count
    columns = list(dict.fromkeys(x % count for x in range(x0, x1 + 1)))
    size = "?size=512" if zoom >= 1 else ""
    return [
        f"/api/v1/map/tiles/{z}/{x}/{y}{size}" for y in range(row(n), row(s) + 1) for x in columns
    ]


def _panned(views: dict, rng: random.Random) -> Iterator[tuple]:
    """The benchmark's viewports, each panned by up to half its size, round after round
    without end. A world view at zoom 2 cannot be panned, so those users are at zoom 3."""
    while True:
        for boxes in views.values():
            for box in boxes:
                if box[4] <= 2:
                    box = _recentred(box, rng)
                yield _shifted(box, rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))


def _shifted(box: tuple, dx: float, dy: float) -> tuple:
    """The viewport panned by a fraction of its size (its longitudes kept within ±180)."""
    w, s, e, n, zoom = box
    if e - w >= 359.9:
        return box
    width = (e - w) % 360 or 360.0
    shift_x, shift_y = dx * width, dy * (n - s)
    s2, n2 = max(s + shift_y, -85.0), min(n + shift_y, 85.0)
    w2 = (w + shift_x + 180) % 360 - 180
    e2 = (e + shift_x + 180) % 360 - 180
    return (w2, s2, e2, n2, zoom)


ROUNDS = 3


def _recentred(box: tuple, rng: random.Random) -> tuple:  # noqa: ARG001
    """A zoom-3 view (wider than the screen, so it pans) around a latitude near the box's."""
    from bench.viewports import viewport

    return viewport(rng.uniform(-50, 60), rng.uniform(-180, 180), 3)


def _write_latency(port: int, env: dict[str, str], tries: int = 5) -> dict:
    """Seconds from a committed write (a job moved to an empty spot of the ocean) until
    the endpoint shows it in several answers in a row (both workers polled it)."""
    import sqlite3

    from mapertunity.geo.morton import morton_key

    database = Path(env["MAPERTUNITY_VAR_DIR"]) / "mapertunity.sqlite3"
    samples = []
    for i in range(tries):
        lat, lng = -45.0 + i, -130.0 - i
        box = (lng - 0.01, lat - 0.01, lng + 0.01, lat + 0.01, 14)
        with sqlite3.connect(database, timeout=30) as db:
            started = time.perf_counter()
            db.execute(
                "UPDATE jobs_job SET lat = ?, lng = ?, morton_key = ? WHERE id = ?",
                (lat, lng, morton_key(lat, lng), 1 + i),
            )
        in_a_row = 0
        while in_a_row < 4 and time.perf_counter() - started < 30:
            status, response = _fetch(port, _path(box))
            in_a_row = in_a_row + 1 if b'"total":1,' in response else 0
        samples.append(time.perf_counter() - started)
    return {"p50_s": statistics.median(samples), "max_s": max(samples), "tries": tries}


def _load(
    port: int,
    paths: list[str],
    *,
    seconds: float,
    max_requests: int,
    threads: int,
    conditional: bool = False,
) -> dict:
    """Requests/s over ``paths`` in turn; ``conditional`` sends the ETag each path last got
    (a browser or proxy revalidating), so a repeat is a 304."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    counter = [0]
    etags: dict[str, str] = {}
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    return
                i = counter[0]
                counter[0] += 1
            path = paths[i % len(paths)]
            started = time.perf_counter()
            try:
                status, response = _get(port, path, etag=etags.get(path, ""))
            except OSError:
                status, response = 0, b""
            took = time.perf_counter() - started
            if conditional and status == 200:
                etags[path] = _etag(response)
            with lock:
                latencies.append(took)
                if status not in (200, 304):
                    errors[0] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
    }


def run(
    env: dict[str, str],
    views: dict[int, list],
    *,
    seconds: float,
    max_requests: int,
    workers: int,
    warmup_timeout_s: float,
    progress,
) -> dict:
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    server_env.pop("BENCH_PG_URL", None)
    command = [
        gunicorn,
        "bench.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        str(int(warmup_timeout_s) + 60),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    paths = [_path(box) for boxes in views.values() for box in boxes]
    # Panning users: every request a viewport never asked before (no cached answer helps).
    unique: list[str] = []
    unique_tiles: dict[str, None] = {}
    seen: set[str] = set()
    for shifted in _panned(views, random.Random(3)):
        if len(unique) >= max_requests:
            break
        path = _path(shifted)
        if path not in seen:
            seen.add(path)
            unique.append(path)
            unique_tiles.update(dict.fromkeys(view_tiles(shifted)))
    # The same users on the site's map, which asks for the tiles of each new view (the
    # server's cache answers the tiles another view already asked for) ...
    tile_views: list[str] = []
    views_seen = 0
    for shifted in _panned(views, random.Random(5)):
        if len(tile_views) >= max_requests:
            break
        tile_views += view_tiles(shifted)
        views_seen += 1
    # ... and, the hardest case, tiles no request asked for before (none cached): a
    # viewport is put together from its tiles, so not the tiles of any viewport either.
    asked = set(tile_views) | set(unique_tiles)
    asked.update(t for boxes in views.values() for box in boxes for t in view_tiles(box))
    cold_tiles: dict[str, None] = {}
    far = random.Random(7)
    for looked in range(3 * max_requests):
        if len(cold_tiles) >= max_requests:
            break
        boxes = views[far.choice(list(views))]
        box = boxes[looked % len(boxes)]
        if box[4] <= 2:
            box = _recentred(box, far)
        # Two to six views away: ground the panning users above never reach.
        dx, dy = (far.choice((-1, 1)) * far.uniform(2, 6) for _ in range(2))
        cold_tiles.update((t, None) for t in view_tiles(_shifted(box, dx, dy)) if t not in asked)
    cold = list(cold_tiles)
    try:
        progress("  http: waiting for the server and the first index build ...")
        started = time.perf_counter()
        first_answer_s = None
        fresh_workers = 0
        while fresh_workers < 4 * workers:
            try:
                status, body = _fetch(port, paths[0], timeout=warmup_timeout_s)
            except OSError:
                status, body = 0, b""
            if status == 200:
                if first_answer_s is None:
                    first_answer_s = time.perf_counter() - started
                # Requests land on either worker: several fresh answers in a row means all.
                fresh_workers = 0 if b'"stale":true' in body else fresh_workers + 1
            if time.perf_counter() - started > warmup_timeout_s or server.poll() is not None:
                output = (
                    server.stdout.read().decode(errors="replace")[-800:]
                    if server.poll() is not None
                    else ""
                )
                return {"skipped": f"server not ready after {warmup_timeout_s:.0f} s {output}"}
            if fresh_workers == 0:
                time.sleep(0.2)
        first_s = time.perf_counter() - started
        # The first answer with single jobs sets off the writing of their markers beside
        # the snapshot (until then they are read from SQL); timing starts once it's there.
        progress("  http: waiting for the markers file ...")
        marker_files = Path(env["MAP_INDEX_DIR"])
        while not any(marker_files.glob("*/markers-*/offsets.npy")):
            _fetch(port, paths[-1])
            if time.perf_counter() - started > warmup_timeout_s:
                return {"skipped": "the markers file was not written in time"}
            time.sleep(0.5)
        markers_s = time.perf_counter() - started - first_s
        # Every worker answers a few before timing (the others map the snapshot).
        _load(port, paths, seconds=60, max_requests=20 * workers, threads=workers)
        _load(port, ["/bench/bare/"], seconds=10, max_requests=20, threads=workers)
        threads = workers * 2
        kw = {"seconds": seconds, "max_requests": max_requests, "threads": threads}
        rounds = []
        # The machine is shared: each kind runs in every round, next to the bare view, and
        # the table reports the rounds' ratios (median, lowest and highest).
        for round_no in range(ROUNDS):
            progress(f"  http round {round_no + 1}/{ROUNDS}: bare, repeated, new viewports ...")
            bare = _load(port, ["/bench/bare/"], **kw)
            repeated = _load(port, paths, **kw)
            conditional = _load(port, paths, conditional=True, **kw)
            # Each round its own part of the list: every request a viewport never asked.
            part = unique[round_no * max_requests // ROUNDS :]
            share = {**kw, "max_requests": max_requests // ROUNDS}
            fresh = _load(port, part, **share)
            tiles_cold = _load(port, cold[round_no * len(cold) // ROUNDS :], **share)
            tiles = _load(port, tile_views[round_no * len(tile_views) // ROUNDS :], **share)
            rounds.append(
                {
                    "bare": bare,
                    "clusters_repeated": repeated,
                    "clusters_conditional": conditional,
                    "clusters": fresh,
                    "tiles": tiles,
                    "tiles_cold": tiles_cold,
                    "load": list(os.getloadavg()),
                }
            )
        progress("  http: write-to-map latency ...")
        latency = _write_latency(port, env)

        def ratios(kind: str) -> list[float]:
            return sorted(r[kind]["rps"] / r["bare"]["rps"] for r in rounds if r["bare"]["rps"])

        middle = rounds[len(rounds) // 2]
        return {
            "workers": workers,
            "client_threads": threads,
            "first_answer_s": first_answer_s,
            "first_request_s": first_s,
            "markers_ready_s": markers_s,
            "distinct_new_viewports": len(set(unique)) == len(unique),
            "rounds": rounds,
            "clusters_repeated": middle["clusters_repeated"],
            "clusters_conditional": middle["clusters_conditional"],
            "clusters": middle["clusters"],
            "bare": middle["bare"],
            "ratio": statistics.median(ratios("clusters")),
            "ratios": ratios("clusters"),
            "ratio_repeated": statistics.median(ratios("clusters_repeated")),
            "ratios_repeated": ratios("clusters_repeated"),
            "ratio_conditional": statistics.median(ratios("clusters_conditional")),
            "ratios_conditional": ratios("clusters_conditional"),
            "write_to_map_s": latency,
            "tiles": middle["tiles"],
            "ratio_tiles": statistics.median(ratios("tiles")),
            "ratios_tiles": ratios("tiles"),
            "tiles_cold": middle["tiles_cold"],
            "ratio_tiles_cold": statistics.median(ratios("tiles_cold")),
            "ratios_tiles_cold": ratios("tiles_cold"),
            "tiles_per_view": len(tile_views) / views_seen,
            "cold_tiles": len(cold),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
