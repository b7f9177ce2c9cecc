"""`make scale-demo ARGS=--check` as a test: two app servers on one PostgreSQL.

Marked `scale` and left out of the default run (it starts PostgreSQL with a replica, Redis,
nginx and two gunicorn servers, loads demo data, and takes 3-5 minutes on two cores);
CI runs it with `pytest -m scale`.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.scale


def test_two_servers_agree_fail_over_and_lose_no_task(tmp_path: Path) -> None:
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pytest.skip("PostgreSQL server binaries are not installed")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    if not shutil.which("nginx", path="/usr/sbin:/usr/bin") and os.geteuid() != 0:
        pytest.skip("nginx is not installed and this user can't install it")
    figures = tmp_path / "figures.json"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "scripts/scale_demo.py", "--check", "--json", str(figures)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(done.stdout)
    found = json.loads(figures.read_text())
    assert done.returncode == 0, (found.get("failures"), done.stdout[-3000:], done.stderr[-3000:])
    assert found["same_answers"]
    assert max(found["propagation_seconds"].values()) <= 1.0
    assert found["failover"]["failed"] == 0 and found["failover"]["after_kill"] > 0
    assert found["emails"]["lost"] == 0 and found["emails"]["killed_tasks_run_again"] >= 1
