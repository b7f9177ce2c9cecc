"""Each company's responsiveness, computed from the append-only events.

The definition, shown to everyone one click from the figures:

- the window is the applications made to the company's jobs in the last 90 days;
- an application is *judged* once it got a human response (a stage change or a message by
  someone at the company) or is 14 days old; younger ones without an answer don't count
  yet, and neither do ones the candidate withdrew before any answer;
- the *response rate* is the share of judged applications that got a human response within
  14 days; an application we closed as "no response" counts as unanswered;
- the *median time to respond* is the median, over answered applications, of the time from
  applying to the first human response.

A company needs at least ``MIN_APPLICATIONS`` judged applications before figures show;
until then it is "new on Mapertunity".
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from mapertunity.jobs.models import JobMarker

from .models import Application, StageEvent
from .stages import Stage

WINDOW = dt.timedelta(days=90)
RESPONSE_WITHIN = dt.timedelta(days=14)
MIN_APPLICATIONS = 5
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Responsiveness:
    judged: int
    answered_in_time: int
    median_hours: float | None

    @property
    def is_new(self) -> bool:
        return self.judged < MIN_APPLICATIONS

    @property
    def rate_percent(self) -> int | None:
        if self.is_new or not self.judged:
            return None
        return round(100 * self.answered_in_time / self.judged)

    @property
    def median_label(self) -> str:
        """The median time to respond, in words: "2 days", "5 hours"."""
        hours = self.median_hours
        if hours is None:
            return "—"
        if hours < 1:
            return "under an hour"
        if hours < 48:
            return f"{round(hours)} hour{'s' if round(hours) != 1 else ''}"
        days = round(hours / 24)
        return f"{days} days"

    def as_dict(self) -> dict[str, object]:
        return {
            "new": self.is_new,
            "rate_percent": self.rate_percent,
            "median_hours": None if self.is_new else self.median_hours,
            "judged_applications": self.judged,
        }


NEW = Responsiveness(judged=0, answered_in_time=0, median_hours=None)


def compute(company_ids: Iterable[int], *, now: dt.datetime) -> dict[int, Responsiveness]:
    """The figures of each company, straight from the events (no cache)."""
    ids = sorted(set(company_ids))
    rows = (
        Application.objects.filter(job__company_id__in=ids, created_at__gte=now - WINDOW)
        .annotate(
            first_response=Min("events__created_at", filter=Q(events__by_employer=True)),
            withdrawn_at=Min("events__created_at", filter=Q(events__stage=Stage.WITHDRAWN)),
        )
        .values_list("job__company_id", "created_at", "first_response", "withdrawn_at")
    )
    judged: dict[int, int] = {}
    in_time: dict[int, int] = {}
    waits: dict[int, list[float]] = {}
    for company_id, applied, responded, withdrawn in rows:
        if responded is None:
            if withdrawn is not None:
                continue  # the candidate left before anyone could reasonably answer
            if now - applied < RESPONSE_WITHIN:
                continue  # too young to judge
        judged[company_id] = judged.get(company_id, 0) + 1
        if responded is not None:
            wait = responded - applied
            waits.setdefault(company_id, []).append(wait.total_seconds() / 3600)
            if wait <= RESPONSE_WITHIN:
                in_time[company_id] = in_time.get(company_id, 0) + 1
    return {
        cid: Responsiveness(
            judged=judged.get(cid, 0),
            answered_in_time=in_time.get(cid, 0),
            median_hours=statistics.median(waits[cid]) if waits.get(cid) else None,
        )
        for cid in ids
    }


def responsiveness(
    company_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, Responsiveness]:
    """The figures of each company, cached for a few minutes (every page shows them)."""
    ids = sorted(set(company_ids))
    found: dict[int, Responsiveness] = {}
    keys = {cid: f"responsiveness:{cid}" for cid in ids}
    cached = cache.get_many(list(keys.values())) if now is None else {}
    for cid, key in keys.items():
        if key in cached:
            found[cid] = cached[key]
    missing = [cid for cid in ids if cid not in found]
    if missing:
        fresh = compute(missing, now=now or timezone.now())
        found.update(fresh)
        if now is None:
            cache.set_many({keys[cid]: r for cid, r in fresh.items()}, CACHE_SECONDS)
    return found


def forget(company_id: int) -> None:
    """Drop the cached figures after a change the company should see at once."""
    cache.delete(f"responsiveness:{company_id}")


def first_responses(application_ids: Iterable[str]) -> dict[str, dt.datetime]:
    rows = (
        StageEvent.objects.filter(application_id__in=list(application_ids), by_employer=True)
        .values("application_id")
        .annotate(first=Min("created_at"))
    )
    return {str(r["application_id"]): r["first"] for r in rows}


def label_markers(markers: list[JobMarker]) -> None:
    """Put each company's figures, in words, on its jobs' map markers."""
    figures = responsiveness({m["company_id"] for m in markers})
    for marker in markers:
        found = figures.get(marker["company_id"], NEW)
        marker["responsiveness"] = (
            "New on Mapertunity"
            if found.is_new
            else f"Responds to {found.rate_percent}% within 14 days"
        )
