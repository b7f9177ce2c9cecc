"""The site `make loadtest` runs against: a million jobs and a few hundred signed-in
candidates, made fast, in a database of its own (under var/loadtest/ by default).

Run by bench/loadtest.py in a child process with the site's production-like environment:

    python bench/loadsite.py DATA.json --jobs 1000000 --candidates 300

Jobs go in with the benchmark's bulk loader (bench/sql.py: executemany or COPY, indexes
and search built once afterwards, no ORM save per row); candidates, their profiles and
resumes with the demo's bulk loader (mapertunity/demo/candidates.py). Both are skipped when
the database already holds them, so a second run starts in seconds. Each candidate gets a
session made directly in the session store (no password hashing at load time), and the
sample the load generator draws from (job pages, viewports, search words, sessions) is
written to DATA.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bench.data import TITLE_WORDS, generate
    from bench.viewports import viewports
    from mapertunity.accounts.models import User
    from mapertunity.candidates.models import CandidateProfile
    from mapertunity.demo.candidates import candidates_loaded, load_candidates_demo
    from mapertunity.jobs.models import Job

    call_command("migrate", verbosity=0, interactive=False)
    jobs = generate(args.jobs, seed=args.seed)
    have = Job.objects.filter(status=Job.Status.PUBLISHED).count()
    if have < args.jobs:
        if have:
            log(f"The database holds {have:,} jobs, not {args.jobs:,}: use --fresh.")
            return 2
        from bench import sql

        log(f"Loading {args.jobs:,} jobs in bulk ...")
        started = time.perf_counter()
        sql.load(jobs, "default", log)
        log(f"  {args.jobs:,} jobs in {time.perf_counter() - started:.0f} s")
    else:
        log(f"The database already holds {have:,} live jobs.")
    if not candidates_loaded():
        log(f"Creating {args.candidates} candidates with profiles and resumes in bulk ...")
        started = time.perf_counter()
        load_candidates_demo(seed=args.seed, count=args.candidates, progress=lambda m: None)
        log(f"  done in {time.perf_counter() - started:.0f} s")

    ready = list(
        CandidateProfile.objects.filter(completed_at__isnull=False, resume__isnull=False)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )
    sessions = []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user in User.objects.filter(pk__in=ready, is_active=True).order_by("pk"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    log(f"{len(sessions)} signed-in candidates with a resume.")

    rng = random.Random(args.seed)
    sample_ids = sorted(rng.sample(range(1, args.jobs + 1), min(20_000, args.jobs)))
    pages = [
        f"/jobs/{pk}/{slug}/"
        for pk, slug in Job.objects.filter(pk__in=sample_ids, status=Job.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "slug")
        .iterator()
    ]
    views = viewports(jobs.lats, jobs.lngs, per_zoom=200, seed=args.seed)
    apply_ids = [int(page.split("/")[2]) for page in pages]
    data = {
        "job_pages": pages,
        "apply_job_ids": apply_ids,
        "viewports": [list(box) for boxes in views.values() for box in boxes],
        "words": [word for word, _ in TITLE_WORDS],
        "places": ["London", "Lagos", "Mumbai", "Chicago", "Berlin", "Sao Paulo", "Tokyo"],
        "sessions": sessions,
        "jobs": have or args.jobs,
    }
    args.data.write_text(json.dumps(data))
    log(f"Wrote the load generator's sample to {args.data}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
