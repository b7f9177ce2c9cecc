"""Finding candidates for an employer: one filter set for the candidate map and its list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.text import slugify

from mapertunity.accounts.models import User
from mapertunity.core.choices import PayPeriod, Workplace
from mapertunity.core.money import PERIODS_PER_YEAR, annual_minor, currency_choices, to_minor
from mapertunity.geo.distance import Near, haversine_km
from mapertunity.jobs.models import Job

from .models import CandidateQuerySet

MAX_COMMUTE_KM = 500


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
    currency = forms.ChoiceField(
        required=False, choices=lambda: [("", "Currency"), *currency_choices()]
    )
    period = forms.ChoiceField(required=False, choices=[("", "Period"), *PayPeriod.choices])
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
        jobs = Job.objects.for_employer(employer).exclude(status=Job.Status.CLOSED)
        job_field = cast(forms.TypedChoiceField, self.fields["job"])
        job_field.choices = [("", "Any place"), *((j.pk, str(j.title)) for j in jobs)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("max_pay") is not None and not (data.get("currency") and data.get("period")):
            self.add_error("max_pay", "Choose the currency and period of your budget.")
        return data

    def error_text(self) -> str:
        return " ".join(
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, messages in self.errors.items()
            for message in messages
        )


def search_candidates(data: dict[str, Any], base: CandidateQuerySet) -> CandidateQuerySet:
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
    yearly_budget = annual_minor(to_minor(budget, currency), period)
    fits = Q(desired_pay_min__isnull=True)
    for candidate_period, per_year in PERIODS_PER_YEAR.items():
        fits |= Q(
            desired_currency=currency,
            desired_period=candidate_period,
            desired_pay_min__lte=yearly_budget // per_year,
        )
    return fits


def _commuters(job: Job, candidates: CandidateQuerySet) -> list[int]:
    """Who will commute to the job, or will relocate.

    Distance is measured from the candidate's public point, never the private home: an
    employer can move a job and watch who is in or out, so any answer that depends on the
    home would let them triangulate it. From the public point, every home in the same
    privacy cell gives the same answers, and the cell is all an employer can learn.
    """
    nearby = (
        candidates.in_bbox(*Near(job.lat, job.lng, MAX_COMMUTE_KM).box())
        .filter(commute_km__isnull=False)
        .values_list("pk", "public_lat", "public_lng", "commute_km")
    )
    ids = [
        pk
        for pk, lat, lng, commute in nearby
        if lat is not None
        and lng is not None
        and commute is not None
        and haversine_km(lat, lng, job.lat, job.lng) <= commute
    ]
    ids += list(candidates.filter(open_to_relocation=True).values_list("pk", flat=True))
    return ids
