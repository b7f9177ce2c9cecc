"""`make scale-demo`: Mapertunity on several "machines" at once, all on loopback.

    PostgreSQL primary ── streaming replica (pg_basebackup -R), second port
    Redis: the shared cache, rate-limit counts and the RQ task queue
    app server A (gunicorn) ─┐
    app server B (gunicorn) ─┴─ nginx (upstream with both, failover to the other)
    two RQ task workers (manage.py rq_worker, TASKS_BACKEND=rq)

Everything lives in one temporary directory and stops on exit (Ctrl-C, or the end of
--check). With --check it runs the checks and exits 0 only if all pass:

1. both app servers give the same map answers;
2. a job posted through server A is on the map of A and of B within 1 s;
3. app server A killed (SIGKILL) mid-load: 0 failed requests through nginx;
4. an RQ worker killed (SIGKILL) mid-task: no email lost.

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin), redis-server and nginx; it
installs nginx from Debian (apt-get) when it is missing and it may. Only the standard
library here: the site itself runs from .venv.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
WORLD = "-180,-85,180,85"
VIEWPORTS = [  # (bbox, zoom): the world, and a few cities at street-ish zooms
    (WORLD, 2),
    ("-125,24,-66,50", 4),
    ("-123.2,45.3,-122.3,45.8", 10),
    ("-0.6,51.3,0.4,51.7", 10),
    ("2.1,48.7,2.6,49.0", 11),
    ("139.5,35.5,140.0,35.9", 11),
    ("-74.3,40.5,-73.6,41.0", 12),
]
DEMO_JOB = {
    "title": "Scale Demo Bike Mechanic",
    "description": "Fix bikes. Talk to riders. Posted by the scale demo.",
    "place": "Portland, OR",
    "workplace": "onsite",
    "employment_type": "part_time",
    "salary_min": "24",
    "salary_max": "31",
    "salary_currency": "USD",
    "salary_period": "hour",
    "publish": "1",
}
EMPLOYER = ("employer@example.com", "demo-employer-2026")


def say(text: str) -> None:
    print(f"[scale-demo] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# -- finding and installing the programs ----------------------------------------------------


def postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(part) for part in re.findall(r"\d+", p)],
    )
    if not found:
        raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin.")
    return Path(found[-1]).parent


def ensure_program(name: str, package: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"{name} is missing: install the Debian package {package}.")
    say(f"installing {package} from Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", package],
        check=False,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    if not (path := shutil.which(name, path="/usr/sbin:/usr/bin")):
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", package],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        path = shutil.which(name, path="/usr/sbin:/usr/bin")
    if not path:
        raise SystemExit(f"{name} still missing after installing {package}.")
    return path


# -- the processes --------------------------------------------------------------------------


@dataclass
class Stack:
    tmp: Path
    pg_primary: int = field(default_factory=free_port)
    pg_replica: int = field(default_factory=free_port)
    redis: int = field(default_factory=free_port)
    app_a: int = field(default_factory=free_port)
    app_b: int = field(default_factory=free_port)
    nginx: int = field(default_factory=free_port)
    redis_url: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    pg_dirs: list[Path] = field(default_factory=list)
    pg_user: list[str] = field(default_factory=list)

    @property
    def var(self) -> Path:
        return self.tmp / "var"

    @property
    def mail(self) -> Path:
        return self.var / "mail"

    def env(self, **extra: str) -> dict[str, str]:
        database = "postgres://postgres@127.0.0.1:{}/mapertunity"
        env = {
            **os.environ,
            "DATABASE_URL": database.format(self.pg_primary),
            "DATABASE_REPLICA_URL": database.format(self.pg_replica),
            "REDIS_URL": self.redis_url,
            "TASKS_BACKEND": "rq",
            "MAPERTUNITY_VAR_DIR": str(self.var),
            "SITE_URL": f"http://127.0.0.1:{self.nginx}",
            "DJANGO_SETTINGS_MODULE": "mapertunity.settings",
            # Short, so a killed worker's task is run again within a few seconds.
            "WORKER_HEARTBEAT_SECONDS": "0.5",
            "WORKER_LEASE_SECONDS": "3",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one kill stops it and its workers
        )
        log.close()

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*self.pg_user, str(postgres_bin() / tool), *args],
            check=check,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def manage(self, *args: str, **extra: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    # -- start up ---------------------------------------------------------------------------

    def up(self, *, redis_url: str | None, jobs: int) -> None:
        self.var.mkdir(parents=True)
        self.mail.mkdir()
        self.start_postgres()
        self.start_redis(redis_url)
        say("migrating the primary and loading the demo data")
        t0 = time.monotonic()
        self.manage("migrate", "--no-input")
        t1 = time.monotonic()
        self.manage("seed_demo", "--jobs", str(jobs), "--candidates", "50")
        say(f"  migrated in {t1 - t0:.0f} s, demo data in {time.monotonic() - t1:.0f} s")
        self.wait_replica_caught_up()
        for name, port in (("app-a", self.app_a), ("app-b", self.app_b)):
            self.start_app(name, port)
        self.start_nginx()
        for number in (1, 2):
            self.start_worker(f"worker-{number}")
        for port in (self.app_a, self.app_b, self.nginx):
            wait_for(f"port {port}", lambda port=port: port_open(port))

    def start_postgres(self) -> None:
        pg_root = self.tmp / "pg"
        pg_root.mkdir()
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root.
            account = pwd.getpwnam("postgres")
            os.chown(pg_root, account.pw_uid, account.pw_gid)
            self.pg_user = ["runuser", "-u", "postgres", "--"]
        primary, replica = pg_root / "primary", pg_root / "replica"
        self.pg_dirs = [replica, primary]  # stopped in this order
        say(f"PostgreSQL primary on :{self.pg_primary}, replica on :{self.pg_replica}")
        self.pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = (
            f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={pg_root} "
            "-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self.pg(
            "pg_ctl", "-D", str(primary), "-l", str(pg_root / "primary.log"), "-w",
            "-o", f"-p {self.pg_primary} {options}", "start",
        )  # fmt: skip
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_primary), "-U", "postgres",
                "mapertunity")  # fmt: skip
        # The replica: a base backup that writes standby.signal and primary_conninfo (-R).
        self.pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.pg_primary), "-U", "postgres",
                "-D", str(replica), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        self.pg(
            "pg_ctl", "-D", str(replica), "-l", str(pg_root / "replica.log"), "-w",
            "-o", f"-p {self.pg_replica} {options}", "start",
        )  # fmt: skip

    def psql(self, port: int, sql: str) -> str:
        done = self.pg("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d",
                       "mapertunity", "-At", "-c", sql)  # fmt: skip
        return done.stdout.decode().strip()

    def wait_replica_caught_up(self) -> None:
        lsn = self.psql(self.pg_primary, "SELECT pg_current_wal_lsn()")
        wait_for(
            "the replica",
            lambda: (
                self.psql(self.pg_replica, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")
                == "t"
            ),
        )

    def start_redis(self, redis_url: str | None) -> None:
        if redis_url:
            self.redis_url = redis_url
            say(f"Redis: {redis_url} (flushed at the start and the end)")
            self.redis_flush()
            return
        self.redis_url = f"redis://127.0.0.1:{self.redis}/0"
        say(f"Redis on :{self.redis}")
        server = ensure_program("redis-server", "redis-server")
        self.start(
            "redis",
            [server, "--port", str(self.redis), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp)],
        )  # fmt: skip
        wait_for("Redis", lambda: port_open(self.redis))

    def redis_flush(self) -> None:
        parts = urllib.parse.urlsplit(self.redis_url)
        database = (parts.path or "/0").strip("/") or "0"
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379)) as s:
            s.sendall(f"SELECT {database}\r\nFLUSHDB\r\n".encode())
            s.recv(100)

    def start_app(self, name: str, port: int) -> None:
        say(f"app server {name[-1].upper()} (gunicorn, 2 workers) on :{port}")
        env = self.env(MAP_INDEX_DIR=str(self.var / f"mapindex-{name}"))
        self.start(
            name,
            [str(VENV_BIN / "gunicorn"), "mapertunity.wsgi", "-c", str(ROOT / "scripts" /
             "gunicorn_conf.py"), "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
            env,
        )  # fmt: skip

    def start_nginx(self) -> None:
        say(f"nginx on :{self.nginx} in front of :{self.app_a} and :{self.app_b}")
        nginx = ensure_program("nginx", "nginx")
        home = self.tmp / "nginx"
        home.mkdir(exist_ok=True)
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        temp = " ".join(
            f"{kind}_temp_path {home / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (home / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
daemon off;
pid {home / "nginx.pid"};
error_log {home / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    {temp}
    upstream app {{
        # Passive health checks: a server that fails a request is left out for 5 s.
        server 127.0.0.1:{self.app_a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{self.app_b} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.nginx};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A request the dead server didn't answer goes to the other; not a POST that
            # may have been half done (non_idempotent is left out on purpose).
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""
        )
        self.start("nginx", [nginx, "-e", str(home / "error.log"), "-p", str(home), "-c",
                             str(home / "nginx.conf")])  # fmt: skip

    def start_worker(self, name: str) -> None:
        self.start(name, [PYTHON, "manage.py", "rq_worker", "--name", f"{name}-{os.getpid()}"])

    # -- shut down --------------------------------------------------------------------------

    def down(self) -> None:
        for name in list(self.processes):
            if name != "redis":
                self.kill(name, signal.SIGTERM)
        if "redis" in self.processes:
            self.kill("redis", signal.SIGTERM)
        elif self.redis_url:
            with contextlib.suppress(OSError):
                self.redis_flush()
        for data in self.pg_dirs:
            if (data / "postmaster.pid").exists():
                self.pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)


# -- HTTP -----------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def map_path(bbox: str, zoom: int) -> str:
    return f"/api/v1/map/jobs?bbox={bbox}&zoom={zoom}"


def map_answer(port: int, bbox: str, zoom: int) -> Any:
    status, body = get(port, map_path(bbox, zoom))
    if status != 200:
        raise RuntimeError(f":{port} answered {status} for the map")
    return json.loads(body)


def job_count(answer: Any) -> int:
    total = 0
    for feature in answer["features"]:
        props = feature["properties"]
        total += int(props.get("point_count", 1)) if props.get("cluster") else 1
    return total


def titles(answer: Any) -> set[str]:
    return {f["properties"].get("title", "") for f in answer["features"]}


class Browser:
    """A visitor with cookies, talking to one server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def csrf(self, path: str) -> str:
        _, _, html = self.open(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not found:
            raise RuntimeError(f"no CSRF token on {path}")
        return found.group(1)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        return self.open(path, {**data, "csrfmiddlewaretoken": self.csrf(path)})


# -- the checks -----------------------------------------------------------------------------


@dataclass
class Results:
    figures: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, text: str) -> None:
        say(("PASS  " if ok else "FAIL  ") + text)
        if not ok:
            self.failures.append(text)


def check_same_answers(stack: Stack, results: Results) -> None:
    # Both servers build their index from the database; give them time to finish.
    def agree() -> bool:
        return all(
            map_answer(stack.app_a, b, z) == map_answer(stack.app_b, b, z) for b, z in VIEWPORTS
        )

    t0 = time.monotonic()
    try:
        wait_for("agreeing answers", agree, timeout=60)
        same = True
    except RuntimeError:
        same = False
    world = map_answer(stack.app_a, WORLD, 2)
    results.figures["same_answers"] = same
    results.figures["jobs_on_map"] = job_count(world)
    results.check(
        same,
        f"identical map answers from A and B for {len(VIEWPORTS)} viewports "
        f"({job_count(world)} jobs; agreed after {time.monotonic() - t0:.1f} s)",
    )


def check_propagation(stack: Stack, results: Results) -> None:
    before = job_count(map_answer(stack.app_a, WORLD, 2))
    visitor = Browser(stack.app_a)
    status, url, _ = visitor.post("/accounts/login/", {"login": EMPLOYER[0],
                                                        "password": EMPLOYER[1]})  # fmt: skip
    if "/accounts/login/" in url:
        results.check(False, f"the demo employer could not log in on A ({status})")
        return
    status, url, html = visitor.post("/employers/jobs/new/", DEMO_JOB)
    posted = time.monotonic()
    if "/jobs/" not in url or DEMO_JOB["title"] not in html:
        results.check(False, f"posting a job through A failed ({status}, {url})")
        return
    # Read-your-own-write: the job page right after the POST came from the primary.
    seen: dict[str, float] = {}
    deadline = posted + 5
    while len(seen) < 2 and time.monotonic() < deadline:
        for name, port in (("A", stack.app_a), ("B", stack.app_b)):
            if name not in seen and job_count(map_answer(port, WORLD, 2)) == before + 1:
                seen[name] = time.monotonic() - posted
        time.sleep(0.02)
    latency = max(seen.values()) if len(seen) == 2 else None
    results.figures["propagation_seconds"] = {k: round(v, 3) for k, v in seen.items()}
    results.check(
        latency is not None and latency <= 1.0,
        "a job posted through A is on the map of A in "
        + ", B in ".join(f"{seen[n]:.2f} s" if n in seen else "never" for n in ("A", "B"))
        + " (target ≤ 1 s)",
    )
    # And the poster, reading through the other server, sees it at once (pinned reads).
    visitor.port = stack.app_b
    _, _, dashboard = visitor.open("/employers/")
    results.check(DEMO_JOB["title"] in dashboard, "the poster sees the new job on B's dashboard")


def drive_load(port: int, seconds: float, threads: int) -> tuple[list[float], list[str]]:
    """GET a mix of pages and map viewports as fast as `threads` clients can."""
    paths = [map_path(b, z) for b, z in VIEWPORTS] + ["/jobs/", "/"]
    ok: list[float] = []
    failed: list[str] = []
    end = time.monotonic() + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        i = number
        while time.monotonic() < end:
            path = paths[i % len(paths)]
            i += 1
            try:
                status, _ = get(port, path, timeout=15)
                outcome = None if status < 500 and status != 404 else f"{status} {path}"
            except Exception as error:  # a reset or refused connection counts as a failure
                outcome = f"{type(error).__name__} {path}"
            with lock:
                if outcome is None:
                    ok.append(time.monotonic())
                else:
                    failed.append(outcome)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return ok, failed


def check_failover(stack: Stack, results: Results, *, seconds: float, kill_at: float) -> None:
    # Every path answers something other than a 404 before the test counts on it.
    for path in ["/jobs/", "/"]:
        status, _ = get(stack.nginx, path)
        if status >= 400:
            results.check(False, f"{path} answers {status} through nginx before the test")
            return
    killed: list[float] = []

    def killer() -> None:
        time.sleep(kill_at)
        killed.append(time.monotonic())
        stack.kill("app-a")  # SIGKILL to the master and its workers

    threading.Thread(target=killer).start()
    t0 = time.monotonic()
    ok, failed = drive_load(stack.nginx, seconds, threads=4)
    after = [t for t in ok if killed and t > killed[0]]
    results.figures["failover"] = {
        "requests": len(ok) + len(failed),
        "failed": len(failed),
        "after_kill": len(after),
        "seconds": round(time.monotonic() - t0, 1),
        "killed_at": kill_at,
        "examples": failed[:5],
    }
    results.check(
        not failed and len(after) > 0,
        f"app server A killed at {kill_at:.0f} s of {seconds:.0f} s of load: "
        f"{len(ok) + len(failed)} requests through nginx, {len(failed)} failed "
        f"({len(after)} served by B after the kill; target 0 failed)",
    )
    # Bring A back, as a process manager would.
    stack.start_app("app-a", stack.app_a)
    wait_for("app server A again", lambda: port_open(stack.app_a))


def probe_files(mail: Path) -> dict[str, int]:
    seen: dict[str, int] = {}
    for path in mail.glob("*.eml"):
        found = re.search(rb"^X-Mapertunity-Probe: (\S+)", path.read_bytes(), re.M)
        if found:
            key = found.group(1).decode()
            seen[key] = seen.get(key, 0) + 1
    return seen


def check_worker_kill(stack: Stack, results: Results, *, emails: int, pause: float) -> None:
    keys = stack.manage("probe_emails", str(emails), "--pause", str(pause)).split()
    t0 = time.monotonic()
    wait_for("the first emails", lambda: len(probe_files(stack.mail)) >= emails // 3, 60)
    before_kill = len(probe_files(stack.mail))
    # SIGKILL, mid-task: each task pauses after claiming its email, so a worker is almost
    # always inside one. worker-2 takes the abandoned task over once worker-1's lease runs
    # out; worker-3 stands in for the dead one, as a process manager would start it.
    stack.kill("worker-1")
    killed = time.monotonic()
    stack.start_worker("worker-3")
    with contextlib.suppress(RuntimeError):
        wait_for("every email", lambda: len(probe_files(stack.mail)) >= emails, 90)
    done = time.monotonic()
    delivered = probe_files(stack.mail)
    lost = [key for key in keys if key not in delivered]
    recovered = sum(
        (stack.tmp / f"{name}.log").read_text(errors="replace").count("queued to run again")
        for name in ("worker-2", "worker-3")
    )
    twice = sum(1 for key in keys if delivered.get(key, 0) > 1)
    results.figures["emails"] = {
        "enqueued": emails,
        "delivered_before_kill": before_kill,
        "delivered": len([k for k in keys if k in delivered]),
        "lost": len(lost),
        "sent_twice": twice,
        "killed_tasks_run_again": recovered,
        "seconds_to_all_after_kill": round(done - killed, 1),
        "seconds_total": round(done - t0, 1),
    }
    results.check(
        not lost and recovered > 0,
        f"RQ worker killed after {before_kill} of {emails} emails, mid-task: {len(lost)} lost, "
        f"{twice} sent twice, {recovered} killed task run again by another worker, all "
        f"delivered {done - killed:.1f} s after the kill (target 0 lost)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="run the checks, then stop")
    parser.add_argument("--json", type=Path, help="with --check: write the figures here")
    parser.add_argument("--jobs", type=int, default=1000, help="demo jobs to load (default 1000)")
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--kill-at", type=float, default=5.0)
    parser.add_argument("--emails", type=int, default=40)
    parser.add_argument(
        "--redis-url",
        help="use this Redis (its database is flushed at the start and the end) instead of "
        "starting a private redis-server on a free port",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="mapertunity-scale-"))
    tmp.chmod(0o755)
    stack = Stack(tmp=tmp)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    results = Results()
    try:
        stack.up(redis_url=args.redis_url, jobs=args.jobs)
        say(f"the site: http://127.0.0.1:{stack.nginx}/ (through nginx); logs in {tmp}")
        if not args.check:
            say("Ctrl-C stops everything")
            while True:
                for name, process in list(stack.processes.items()):
                    if process.poll() is not None:
                        say(f"{name} exited ({process.returncode}); see {tmp / name}.log")
                        stack.processes.pop(name)
                time.sleep(1)
        check_same_answers(stack, results)
        check_propagation(stack, results)
        check_failover(stack, results, seconds=args.load_seconds, kill_at=args.kill_at)
        check_worker_kill(stack, results, emails=args.emails, pause=0.5)
    except KeyboardInterrupt:
        say("stopping")
    except Exception as error:
        results.failures.append(f"{type(error).__name__}: {error}")
        say(f"ERROR {error}")
    finally:
        stack.down()
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.check:
        results.figures["failures"] = results.failures
        if args.json:
            args.json.write_text(json.dumps(results.figures, indent=2))
        say("all checks passed" if not results.failures else f"{len(results.failures)} failed")
        return 1 if results.failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
