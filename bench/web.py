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

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30.0) -> tuple[int, int]:
    """One GET with a fresh connection (sync workers close it); (status, body bytes)."""
    status, body = _fetch(port, path, timeout)
    return status, len(body)


def _fetch(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    response = b"".join(chunks)
    status = int(response[9:12]) if response[:5] == b"HTTP/" else 0
    return status, response


def _path(box: tuple) -> str:
    w, s, e, n, zoom = box
    return "/api/v1/map/jobs?" + urllib.parse.urlencode(
        {"bbox": f"{w:.5f},{s:.5f},{e:.5f},{n:.5f}", "zoom": zoom}
    )


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


def _load(port: int, paths: list[str], *, seconds: float, max_requests: int, threads: int) -> dict:
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    counter = [0]
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    return
                i = counter[0]
                counter[0] += 1
            started = time.perf_counter()
            try:
                status, _ = _get(port, paths[i % len(paths)])
            except OSError:
                status = 0
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                if status != 200:
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
    rng = random.Random(3)
    unique = [
        _path(_shifted(box, rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)))
        for _ in range(max_requests // len(paths) + 1)
        for boxes in views.values()
        for box in boxes
    ]
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
        # Every worker answers a few before timing (the others map the snapshot).
        _load(port, paths, seconds=60, max_requests=20 * workers, threads=workers)
        _load(port, ["/bench/bare/"], seconds=10, max_requests=20, threads=workers)
        threads = workers * 2
        progress(f"  http: clusters endpoint, repeated viewports, up to {seconds:.0f} s ...")
        repeated = _load(port, paths, seconds=seconds, max_requests=max_requests, threads=threads)
        progress(f"  http: clusters endpoint, new viewports, up to {seconds:.0f} s ...")
        fresh = _load(port, unique, seconds=seconds, max_requests=max_requests, threads=threads)
        progress(f"  http: bare JSON view for up to {seconds:.0f} s ...")
        bare = _load(
            port, ["/bench/bare/"], seconds=seconds, max_requests=max_requests, threads=threads
        )
        return {
            "workers": workers,
            "client_threads": threads,
            "first_answer_s": first_answer_s,
            "first_request_s": first_s,
            "clusters_repeated": repeated,
            "clusters": fresh,
            "bare": bare,
            "ratio": fresh["rps"] / bare["rps"] if bare["rps"] else 0.0,
            "ratio_repeated": repeated["rps"] / bare["rps"] if bare["rps"] else 0.0,
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
