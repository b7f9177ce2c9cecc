"""The demo candidate's saved searches and saved jobs, so the alerts pages of a fresh site
show what they are for. Made through the alerts' own actions, with filters the /jobs/
form accepts; nothing is emailed (an alert's first digest is a period away)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.alerts import actions
from mapertunity.alerts.matching import normalised_query
from mapertunity.alerts.models import Alert, Frequency, SavedJob
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job

from .candidates import CANDIDATE_EMAIL

PORTLAND = (-123.2, 45.3, -122.3, 45.7)
WEST_COAST = (-125.0, 32.0, -114.0, 49.0)


@dataclass(frozen=True)
class DemoAlert:
    name: str
    filters: dict[str, str | list[str]]
    box: tuple[float, float, float, float]
    frequency: str


ALERTS = [
    DemoAlert(
        "Chef jobs around Portland",
        {"q": "chef", "type": ["full_time"]},
        PORTLAND,
        Frequency.DAILY,
    ),
    DemoAlert(
        "Kitchen jobs on the West Coast paying $65,000 or more",
        {"q": "kitchen", "salary_min": "65000", "currency": "USD", "period": "year"},
        WEST_COAST,
        Frequency.WEEKLY,
    ),
]
SAVED_JOBS = 2


@dataclass(frozen=True)
class AlertsSummary:
    alerts: int
    saved_jobs: int


def alerts_loaded() -> bool:
    return Alert.objects.filter(user__email=CANDIDATE_EMAIL).exists()


def _query(filters: dict[str, str | list[str]]) -> str:
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    form = JobFilterForm(data)
    if not form.is_valid():
        raise ValueError(f"Demo alert filters don't validate: {form.errors.as_text()}")
    return normalised_query(form)


def load_alerts_demo(*, now: dt.datetime | None = None) -> AlertsSummary:
    me = User.objects.filter(email=CANDIDATE_EMAIL).first()
    if me is None:
        return AlertsSummary(0, 0)
    now = now or timezone.now()
    with transaction.atomic():
        for alert in ALERTS:
            actions.create_alert(
                user=me,
                name=alert.name,
                frequency=alert.frequency,
                query=_query(alert.filters),
                box=alert.box,
                now=now,
            )
        # Kitchens the candidate might work in, on the West Coast if there are any there.
        kitchen = (
            Job.objects.published()
            .filter(
                Q(title__icontains="chef")
                | Q(title__icontains="cook")
                | Q(title__icontains="kitchen")
            )
            .order_by("-posted_at", "-pk")
        )
        picks = list(kitchen.in_bbox(*WEST_COAST)[:SAVED_JOBS]) or list(kitchen[:SAVED_JOBS])
        for job in picks:
            actions.save_job(user=me, job=job)
    return AlertsSummary(
        alerts=Alert.objects.filter(user=me).count(),
        saved_jobs=SavedJob.objects.filter(user=me).count(),
    )
