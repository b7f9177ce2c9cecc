"""``manage.py seed_demo``: fill a fresh site with invented companies, jobs and demo accounts."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mapertunity.demo.alerts import alerts_loaded, load_alerts_demo
from mapertunity.demo.applications import applications_loaded, load_applications_demo
from mapertunity.demo.blog import load_blog_demo
from mapertunity.demo.candidates import (
    CANDIDATE_EMAIL,
    CANDIDATE_PASSWORD,
    DEFAULT_CANDIDATES,
    candidates_loaded,
    load_candidates_demo,
)
from mapertunity.demo.followup import followup_loaded, load_followup_demo
from mapertunity.demo.jobs.load import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_COMPANIES,
    DEFAULT_JOBS,
    DEFAULT_SEED,
    EMPLOYER_EMAIL,
    EMPLOYER_PASSWORD,
    demo_loaded,
    load_demo,
)

MAX_COMPANIES = 5000
"""Past this many, the invented names start to repeat."""


class Command(BaseCommand):
    help = (
        "Load invented demo companies, published jobs around the world, a demo employer and "
        "a staff account. Runs once: if the demo employer exists it changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Same seed, same data.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=DEFAULT_JOBS,
            help="Published jobs to generate, besides the demo employer's own.",
        )
        parser.add_argument(
            "--companies",
            type=int,
            default=DEFAULT_COMPANIES,
            help="Companies in all, the demo employer's included (at least 2).",
        )
        parser.add_argument(
            "--candidates",
            type=int,
            default=DEFAULT_CANDIDATES,
            help="Demo candidates to generate, besides the demo candidate account.",
        )

    def handle(self, *args: Any, seed: int, jobs: int, companies: int, **options: Any) -> None:
        if jobs < 0 or options["candidates"] < 0:
            raise CommandError("--jobs and --candidates can't be negative.")
        if not 2 <= companies <= MAX_COMPANIES:
            raise CommandError(
                f"--companies must be 2 to {MAX_COMPANIES}: the demo employer's and more."
            )
        if demo_loaded():
            self.stdout.write(f"Demo jobs are already loaded ({EMPLOYER_EMAIL} exists).")
        else:
            self._load_jobs(seed=seed, jobs=jobs, companies=companies)
        self._load_candidates(seed=seed, count=options["candidates"])
        self._load_applications(seed=seed)
        self._load_followup()
        self._load_alerts()
        self.stdout.write(load_blog_demo().describe())

    def _load_alerts(self) -> None:
        if alerts_loaded():
            self.stdout.write("Demo alerts are already loaded.")
            return
        summary = load_alerts_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.alerts} job alerts and {summary.saved_jobs} saved jobs for "
                "the demo candidate."
            )
        )

    def _load_followup(self) -> None:
        if followup_loaded():
            self.stdout.write("Demo interviews are already loaded.")
            return
        summary = load_followup_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.interviews} interviews for the demo candidate, with "
                f"{summary.steps} follow-up steps and {summary.contacts} people met."
            )
        )

    def _load_applications(self, *, seed: int) -> None:
        if applications_loaded():
            self.stdout.write("Demo applications are already loaded.")
            return
        summary = load_applications_demo(seed=seed, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.applications} applications with {summary.conversations} "
                f"conversations for {summary.companies} companies in {summary.seconds:.1f}s."
            )
        )

    def _load_candidates(self, *, seed: int, count: int) -> None:
        if candidates_loaded():
            self.stdout.write(f"Demo candidates are already loaded ({CANDIDATE_EMAIL} exists).")
            return
        summary = load_candidates_demo(seed=seed, count=count, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.candidates} candidates ({summary.on_map} on the candidate "
                f"map, {summary.resumes} resumes) in {summary.places} places "
                f"in {summary.seconds:.1f}s."
            )
        )
        self.stdout.write(f"Demo candidate: {CANDIDATE_EMAIL} / {CANDIDATE_PASSWORD}")

    def _load_jobs(self, *, seed: int, jobs: int, companies: int) -> None:
        summary = load_demo(seed=seed, jobs=jobs, companies=companies, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.companies} companies and {summary.jobs} jobs "
                f"({summary.published} published) in {summary.places} places, "
                f"{summary.countries} countries and {len(summary.continents)} "
                f"continent{'' if len(summary.continents) == 1 else 's'} "
                f"({', '.join(summary.continents)}) in {summary.seconds:.1f}s."
            )
        )
        self.stdout.write(f"Demo employer: {EMPLOYER_EMAIL} / {EMPLOYER_PASSWORD}")
        if summary.admin_created:
            self.stdout.write(f"Staff account: {ADMIN_EMAIL} / {ADMIN_PASSWORD}")
        else:
            self.stdout.write(f"Staff account {ADMIN_EMAIL} already existed; left as it was.")
