"""Supercluster (the usual client/server clustering library) in Node, on the same points."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from bench.data import Jobs

HERE = Path(__file__).resolve().parent


def run(jobs: Jobs, views: dict[int, list], *, runs: int, timeout_s: float, progress) -> dict:
    """Build time, heap bytes per point and p50/p99 per zoom; ``{"skipped": why}`` if it can't."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return {"skipped": "node/npm not installed"}
    with tempfile.TemporaryDirectory(prefix="mapertunity-supercluster-") as folder:
        work = Path(folder)
        progress("  npm install supercluster ...")
        install = subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "supercluster"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if install.returncode:
            return {"skipped": f"npm install failed: {install.stderr.strip()[:200]}"}
        shutil.copy(HERE / "supercluster.mjs", work / "bench.mjs")
        points = np.empty(2 * len(jobs), dtype=np.float64)
        points[0::2], points[1::2] = jobs.lngs, jobs.lats
        points.tofile(work / "points.f64")
        spec = {
            "runs": runs,
            "zooms": {str(z): [list(b[:4]) for b in boxes] for z, boxes in views.items()},
        }
        (work / "views.json").write_text(json.dumps(spec))
        heap_mb = max(4096, int(len(jobs) * 1500 / 1e6))
        progress(f"  node: building supercluster over {len(jobs):,} points ...")
        try:
            done = subprocess.run(
                [
                    node,
                    f"--max-old-space-size={heap_mb}",
                    "--expose-gc",
                    "bench.mjs",
                    "points.f64",
                    "views.json",
                    "out.json",
                ],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            return {"skipped": f"did not finish within {timeout_s:.0f} s"}
        if done.returncode:
            return {"skipped": f"node failed: {done.stderr.strip()[-300:]}"}
        return json.loads((work / "out.json").read_text())
