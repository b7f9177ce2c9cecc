"""`make loadtest`: the whole site under gunicorn with a million jobs, a mixed workload.

    make loadtest                          # 1M jobs, 50 req/s offered for 5 minutes
    make loadtest ARGS="--seconds 60"      # shorter
    make loadtest ARGS="--jobs 200000 --seconds 30 --fresh"

Builds (once; kept under var/loadtest/) a production-like site: DEBUG off, collected static
files, SQLite with a million jobs loaded in bulk and a few hundred candidates with resumes
and ready sessions (bench/loadsite.py). Starts gunicorn on 127.0.0.1 and a task worker,
waits until /healthz is green with every server's map index fresh, then runs locust
headless (bench/locustfile.py) for a bounded time: map panning at random viewports,
searches, job pages, list pages, candidates applying. Prints req/s, p50/p95/p99 and the
error count beside the target (50 req/s for 5 minutes, p99 < 500 ms, 0 errors on 2 cores)
with the load average, and writes them to bench/results/loadtest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = {"rps": 50.0, "seconds": 300.0, "p99_ms": 500.0, "errors": 0, "cores": 2}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=TARGET["seconds"], help="run time")
    parser.add_argument("--rate", type=float, default=TARGET["rps"], help="req/s offered")
    parser.add_argument("--users", type=int, default=50, help="simulated people")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--exclude",
        default="",
        help="task tags to leave out, comma-separated (map, search, job, list, apply)",
    )
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "loadtest")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "loadtest.json")
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def site_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="mapertunity.settings",
        MAPERTUNITY_VAR_DIR=str(work),
        MAP_INDEX_DIR=str(work / "mapindex"),
        DEBUG="false",
        SECRET_KEY="loadtest-only-secret-key-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_COOKIES="false",
        LOG_FORMAT="json",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO"),
        # Mail goes to files under the work folder, as in development.
        EMAIL_BACKEND="mapertunity.core.mail.OneFilePerMessageBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def _get_json(url: str, timeout: float = 10.0) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, {}
    except (OSError, ValueError):
        return 0, {}


def wait_until_ready(port: int, server: subprocess.Popen, timeout: float, workers: int) -> float:
    """Until /healthz answers 200 with a fresh map index several times in a row (requests
    land on every worker); the seconds it took."""
    started = time.monotonic()
    in_a_row = 0
    last: dict = {}
    while in_a_row < 4 * workers:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting; see its log")
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the site was not ready after {timeout:.0f} s: {last}")
        status, last = _get_json(f"http://127.0.0.1:{port}/healthz")
        fresh = status == 200 and last.get("checks", {}).get("map_index", {}).get("state")
        in_a_row = in_a_row + 1 if fresh == "fresh" else 0
        if not in_a_row:
            time.sleep(0.5)
    return time.monotonic() - started


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(result: dict) -> str:
    t = result["total"]
    target = result["target"]
    load = result["machine"]["load_average"]
    lines = [
        "",
        f"make loadtest: {result['jobs']:,} jobs, {result['users']} users offering "
        f"{result['offered_rps']:.0f} req/s for {result['seconds']:.0f} s, gunicorn "
        f"{result['workers']} workers x {result['threads']} threads, SQLite"
        + (f"; without {', '.join(result['excluded'])}" if result["excluded"] else ""),
        f"{'':24}{'measured':>12}{'target':>14}",
        f"{'requests/s':24}{t['rps']:>12.1f}{'>= ' + str(target['rps']):>14}  "
        f"{_verdict(t['rps'] >= target['rps'] * 0.98)}",
        f"{'run time (s)':24}{result['seconds']:>12.0f}{'>= ' + str(target['seconds']):>14}  "
        f"{_verdict(result['seconds'] >= target['seconds'] * 0.98)}",
        f"{'p50 (ms)':24}{t['p50_ms']:>12.0f}",
        f"{'p95 (ms)':24}{t['p95_ms']:>12.0f}",
        f"{'p99 (ms)':24}{t['p99_ms']:>12.0f}{'< ' + str(target['p99_ms']):>14}  "
        f"{_verdict(t['p99_ms'] < target['p99_ms'])}",
        f"{'errors':24}{t['errors']:>12}{'0':>14}  {_verdict(t['errors'] == 0)}",
        f"{'requests':24}{t['requests']:>12}",
        "",
        f"{'by request':28}{'count':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}",
    ]
    for name, entry in sorted(result["by_name"].items()):
        lines.append(
            f"{name[:28]:28}{entry['requests']:>8}{entry['rps']:>8.1f}{entry['p50_ms']:>7.0f}"
            f"{entry['p95_ms']:>7.0f}{entry['p99_ms']:>7.0f}{entry['errors']:>8}"
        )
    for error in result["errors"][:10]:
        lines.append(
            f"  error x{error['count']}: {error['method']} {error['name']}: {error['error']}"
        )
    lines += [
        "",
        f"machine: {result['machine']['cores']} cores; load average before "
        f"{load['before'][0]:.2f}, during {load['during_mean_1min']:.2f} (peak "
        f"{load['during_peak_1min']:.2f}), after "
        f"{load['after'][0]:.2f} / {load['after'][1]:.2f} / {load['after'][2]:.2f} "
        "(1/5/15 min): other work on the machine shares these cores",
    ]
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    work: Path = args.dir
    if args.fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    (work / "mail").mkdir(exist_ok=True)
    env = site_env(work)
    python = str(BIN / "python")

    log(f"Preparing the site in {work} ...")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    data = work / "sample.json"
    subprocess.run(
        [python, "bench/loadsite.py", str(data), "--jobs", str(args.jobs),
         "--candidates", str(args.candidates)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    sample = json.loads(data.read_text())

    port = _free_port()
    logs = contextlib.ExitStack()
    # Closed by the ExitStack once both processes are stopped.
    server_log = logs.enter_context(open(work / "server.log", "w"))  # noqa: SIM115
    worker_log = logs.enter_context(open(work / "worker.log", "w"))  # noqa: SIM115
    server = worker = None
    try:
        worker = subprocess.Popen(
            [python, "manage.py", "worker"],
            cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "mapertunity.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log(f"gunicorn on 127.0.0.1:{port}; waiting for /healthz (map index build) ...")
        ready_s = wait_until_ready(port, server, timeout=900, workers=args.workers)
        log(f"  ready after {ready_s:.0f} s")

        out = work / "locust.json"
        out.unlink(missing_ok=True)
        load_before = os.getloadavg()
        locust_env = {
            **os.environ,
            "LOADTEST_DATA": str(data),
            "LOADTEST_OUT": str(out),
            "LOADTEST_RATE": str(args.rate),
            "LOADTEST_USERS": str(args.users),
        }
        log(f"locust: {args.users} users, {args.rate:.0f} req/s for {args.seconds:.0f} s ...")
        during: list[tuple[float, float, float]] = []
        runner = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--host", f"http://127.0.0.1:{port}", "--users", str(args.users),
             "--spawn-rate", str(max(1, args.users // 5)), "--run-time", f"{int(args.seconds)}s",
             "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
             *(["--exclude-tags", *args.exclude.split(",")] if args.exclude else [])],
            cwd=ROOT, env=locust_env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        while runner.poll() is None:
            time.sleep(5)
            during.append(os.getloadavg())
        if not out.exists():
            log("locust wrote no figures")
            return 1
        figures = json.loads(out.read_text())
        status, health = _get_json(f"http://127.0.0.1:{port}/healthz")
    finally:
        _stop(server)
        _stop(worker)
        logs.close()

    peak = max(during, key=lambda load: load[0]) if during else load_before
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "jobs": sample["jobs"],
        "candidates_signed_in": len(sample["sessions"]),
        "users": args.users,
        "offered_rps": args.rate,
        "excluded": args.exclude.split(",") if args.exclude else [],
        "seconds": figures["seconds"],
        "workers": args.workers,
        "threads": args.threads,
        "database": "sqlite",
        "ready_s": ready_s,
        "total": figures["total"],
        "by_name": figures["by_name"],
        "errors": figures["errors"],
        "healthz_after": {"status": status, "body": health},
        "target": TARGET,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average": {
                "before": load_before,
                "during_mean_1min": sum(x[0] for x in during) / len(during)
                if during
                else load_before[0],
                "during_peak_1min": peak[0],
                "after": os.getloadavg(),
            },
        },
    }
    result["passed"] = (
        figures["total"]["rps"] >= TARGET["rps"] * 0.98
        and figures["seconds"] >= TARGET["seconds"] * 0.98
        and figures["total"]["p99_ms"] < TARGET["p99_ms"]
        and figures["total"]["errors"] == 0
    )
    print(report(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    stamped = args.out.with_name(f"loadtest-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json")
    shutil.copyfile(args.out, stamped)
    log(f"Wrote {args.out} and {stamped.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
