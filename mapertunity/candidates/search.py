"""Finding candidates for an employer: one filter set for the candidate map and its list."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from mapertunity.accounts.models import User
from mapertunity.jobs.forms import currency_choices
from mapertunity.jobs.models import Job, PayPeriod, Workplace
from mapertunity.jobs.money import to_minor

from .models import CandidateProfile

PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
MAX_COMMUTE_KM = 500
_EARTH_KM = 6371.0


class CandidateSearchForm(forms.Form):
    skills = forms.CharField(
        required=False,
        max_length=300,
        help_text="Comma-separated; candidates must have all of them.",
    )
    q = forms.CharField(label="Keywords", required=False, max_length=200)
    min_years = forms.IntegerField(
        label="At least (years)", required=False, min_value=0, max_value=70
    )
    max_pay = forms.DecimalField(
        label="Your budget up to", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.ChoiceField(required=False)
    period = forms.ChoiceField(required=False, choices=PayPeriod.choices)
    workplace = forms.ChoiceField(
        required=False, choices=[("", "Any workplace"), *Workplace.choices]
    )
    job = forms.TypedChoiceField(
        label="Willing to commute to",
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, employer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.fields["currency"].choices = [("", "Currency"), *currency_choices()]
        self.fields["period"].choices = [("", "Period"), *PayPeriod.choices]
        jobs = Job.objects.for_employer(employer).exclude(status=Job.Status.CLOSED)
        self.fields["job"].choices = [("", "Any place"), *((j.pk, str(j.title)) for j in jobs)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("max_pay") is not None and not (data.get("currency") and data.get("period")):
            self.add_error("max_pay", "Choose the currency and period of your budget.")
        return data

    def error_text(self) -> str:
        return " ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in self.errors.items()
            for message in messages
        )


def search_candidates(data: dict[str, Any], base: QuerySet[CandidateProfile]) -> QuerySet:
    """Narrow `base` by a valid CandidateSearchForm's cleaned data."""
    candidates = base
    skills = [slugify(s) for s in (data.get("skills") or "").split(",") if slugify(s)]
    for slug in skills:
        candidates = candidates.filter(skills__slug=slug)
    if q := (data.get("q") or "").strip():
        for word in q.split()[:8]:
            candidates = candidates.filter(
                Q(resume__text__icontains=word)
                | Q(headline__icontains=word)
                | Q(summary__icontains=word)
                | Q(desired_roles__icontains=word)
                | Q(skills__name__icontains=word)
            )
    if data.get("min_years") is not None:
        candidates = candidates.filter(years_experience__gte=data["min_years"])
    if data.get("max_pay") is not None:
        candidates = candidates.filter(
            _asks_at_most(data["max_pay"], data["currency"], data["period"])
        )
    if workplace := data.get("workplace"):
        # JSON containment isn't portable to SQLite; the list is short, so match its text.
        candidates = candidates.filter(workplaces__icontains=f'"{workplace}"')
    if data.get("job"):
        job = Job.objects.filter(pk=data["job"]).first()
        if job is not None:
            candidates = candidates.filter(pk__in=_commuters(job, candidates))
    return candidates.distinct()


def _asks_at_most(budget: Decimal, currency: str, period: str) -> Q:
    """Candidates whose lowest acceptable pay fits the budget, or who named none."""
    yearly_budget = to_minor(budget, currency) * PERIODS_PER_YEAR[period]
    fits = Q(desired_pay_min__isnull=True)
    for candidate_period, per_year in PERIODS_PER_YEAR.items():
        fits |= Q(
            desired_currency=currency,
            desired_period=candidate_period,
            desired_pay_min__lte=yearly_budget // per_year,
        )
    return fits


def _commuters(job: Job, candidates: QuerySet[CandidateProfile]) -> list[int]:
    """Who will commute to the job from their (private) home, or will relocate."""
    reach = MAX_COMMUTE_KM / 111.0
    nearby = candidates.filter(
        home_lat__gte=job.lat - reach,
        home_lat__lte=job.lat + reach,
        commute_km__isnull=False,
    ).values_list("pk", "home_lat", "home_lng", "commute_km")
    ids = [
        pk
        for pk, lat, lng, commute in nearby
        if lat is not None and _distance_km(lat, lng, job.lat, job.lng) <= commute
    ]
    ids += list(candidates.filter(open_to_relocation=True).values_list("pk", flat=True))
    return ids


def _distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * _EARTH_KM * math.asin(math.sqrt(h))
