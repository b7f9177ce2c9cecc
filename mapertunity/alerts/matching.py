"""Which jobs an alert matches: the /jobs/ filters (the one filter form), inside its area.

SQL narrows the candidates — the filters, and the area's bounding box through the jobs'
own ``in_bbox`` (west > east across the antimeridian) — and ``geo.areas`` then tests a
drawn polygon exactly, point by point.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import QueryDict

from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.geo.areas import polygon_contains
from mapertunity.geo.gazetteer import country_name
from mapertunity.jobs.filters import JobFilterForm, JobFilters
from mapertunity.jobs.models import Job, JobQuerySet

from .models import Alert

logger = logging.getLogger(__name__)

CHUNK = 500


def normalised_query(form: JobFilterForm) -> str:
    """The valid form's filters as one canonical query string: fields in the form's
    order, lists sorted, defaults and meaningless leftovers (a currency without an amount,
    a radius without a place, the sort order) dropped. The same search is one string."""
    data = form.cleaned_data
    query = QueryDict(mutable=True)
    if text := " ".join((data.get("q") or "").split()):
        query["q"] = text
    for name in ("type", "workplace"):
        for value in sorted(data.get(name) or ()):
            query.appendlist(name, value)
    amount = data.get("salary_min")
    if amount:
        query["salary_min"] = format(Decimal(amount).normalize(), "f")
        query["currency"] = data.get("currency") or "USD"
        query["period"] = data.get("period") or PayPeriod.YEAR
    if days := data.get("posted_within_days"):
        query["posted_within_days"] = str(days)
    if company := data.get("company"):
        query["company"] = company
    if data.get("near"):
        query["near"] = " ".join(str(form.data.get("near", "")).split())
        if radius := data.get("radius_km"):
            query["radius_km"] = str(radius)
    if remote_for := data.get("remote_for"):
        query["remote_for"] = remote_for
    return query.urlencode()


def filter_form(query: str) -> JobFilterForm:
    return JobFilterForm(QueryDict(query))


def filters_for(alert: Alert) -> JobFilters | None:
    """The alert's filters, or None if they no longer validate (it then matches nothing)."""
    form = filter_form(alert.query)
    if not form.is_valid():
        logger.warning("Alert %s has filters that no longer validate: %s", alert.pk, form.errors)
        return None
    return form.filters()


def describe(query: str) -> list[str]:
    """The filters of a stored query in words, one phrase each, for lists and emails."""
    params = QueryDict(query)
    parts = []
    if q := params.get("q"):
        parts.append(f"“{q}”")
    types = dict(EmploymentType.choices)
    if chosen := params.getlist("type"):
        parts.append(", ".join(str(types.get(t, t)) for t in chosen))
    places = dict(Workplace.choices)
    if chosen := params.getlist("workplace"):
        parts.append(", ".join(str(places.get(w, w)) for w in chosen))
    if amount := params.get("salary_min"):
        period = dict(PayPeriod.choices).get(params.get("period", "year"), "per year")
        parts.append(f"pay at least {amount} {params.get('currency', 'USD')} {period}")
    if days := params.get("posted_within_days"):
        parts.append(f"posted in the past {days} day{'s' if days != '1' else ''}")
    if company := params.get("company"):
        parts.append(f"at {company}")
    if near := params.get("near"):
        parts.append(f"within {params.get('radius_km', '50')} km of {near}")
    if remote_for := params.get("remote_for"):
        parts.append(f"remote, open to {country_name(remote_for) or remote_for}")
    return parts


def candidates(
    alert: Alert, filters: JobFilters, *, since: dt.datetime | None = None
) -> JobQuerySet:
    """Live jobs passing the filters inside the area's bounding box (SQL's part)."""
    jobs = filters.apply(Job.objects.published())
    if box := alert.box:
        jobs = jobs.in_bbox(*box)
    if since is not None:
        jobs = jobs.filter(posted_at__gte=since)
    return jobs


def in_area(alert: Alert, jobs: list[Job]) -> list[Job]:
    """The jobs inside the alert's drawn polygon (all of them for a box or anywhere: the
    box test is SQL's, exactly)."""
    ring = alert.ring
    if ring is None or not jobs:
        return jobs
    inside = polygon_contains(
        ring, np.array([job.lng for job in jobs]), np.array([job.lat for job in jobs])
    )
    return [job for job, hit in zip(jobs, inside, strict=True) if hit]


def _chunks(jobs: JobQuerySet) -> Iterator[list[Job]]:
    last: tuple[dt.datetime, int] | None = None
    ordered = jobs.select_related("company").order_by("-posted_at", "-id")
    while True:
        page = ordered
        if last is not None:
            posted, pk = last
            page = ordered.filter(posted_at__lte=posted).exclude(posted_at=posted, id__gte=pk)
        rows = list(page[:CHUNK])
        if not rows:
            return
        yield rows
        if len(rows) < CHUNK:
            return
        last = (rows[-1].posted_at, rows[-1].pk)  # type: ignore[assignment]


def matching_jobs(
    alert: Alert,
    *,
    since: dt.datetime | None = None,
    exclude: QuerySet[Any, Any] | None = None,
    limit: int | None = None,
) -> list[Job]:
    """The live jobs the alert matches, newest first (``limit`` of them at most)."""
    filters = filters_for(alert)
    if filters is None:
        return []
    jobs = candidates(alert, filters, since=since)
    if exclude is not None:
        jobs = jobs.exclude(pk__in=exclude)
    found: list[Job] = []
    for chunk in _chunks(jobs):
        found.extend(in_area(alert, chunk))
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found
