"""The job search filters: one form validates them for the map, the list and the API.

:class:`JobFilterForm` turns query parameters into :class:`JobFilters`; the same filters
then narrow a queryset (:meth:`JobFilters.apply`, the list) and the map index
(``mapindex.where_for``, the clusters), so the list and the map count the same jobs.
Every parameter lives in the page URL, so a search can be shared.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.http import QueryDict
from django.utils import timezone

from mapertunity.companies.models import Company
from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.core.fulltext import words
from mapertunity.core.geocoding import get_geocoder
from mapertunity.core.money import currency_choices, pay_floor_usd
from mapertunity.geo.distance import EARTH_KM, Near, h_limit
from mapertunity.geo.gazetteer import countries, country_name, suggest_places

from .models import JobQuerySet, bbox_q, remote_reach, unconfirmed_since

POSTED_CHOICES = [(1, "Past 24 hours"), (3, "Past 3 days"), (7, "Past week"), (30, "Past month")]
MAX_RADIUS_KM = 500
DEFAULT_RADIUS_KM = 50


class Sort:
    BEST = ""
    RELEVANCE = "relevance"
    DATE = "date"
    DISTANCE = "distance"
    CHOICES = [
        (BEST, "Best match"),
        (RELEVANCE, "Relevance"),
        (DATE, "Newest"),
        (DISTANCE, "Distance"),
    ]


@dataclass(frozen=True)
class JobFilters:
    """Validated filters; the empty instance matches every live job."""

    q: str = ""
    types: tuple[str, ...] = ()
    workplaces: tuple[str, ...] = ()
    pay_floor_usd: int | None = None
    """Minimum top-of-range pay in US dollars a year (a multiple of money.PAY_STEP_USD)."""
    posted_since: dt.datetime | None = None
    """Midnight UTC of the first day counted: filters compare whole UTC days."""
    company_id: int | None = None
    no_company: bool = False
    """A company was asked for that doesn't exist: nothing matches."""
    near: Near | None = None
    near_label: str = ""
    near_country: str = ""
    """ISO code of the place searched around: remote jobs open to it are near too."""
    remote_for: str = ""
    """Only remote jobs open to applicants living in this country (ISO code)."""
    sort: str = Sort.BEST
    # The parts an order lists one after another (:meth:`segments`), never typed by anyone.
    confirmed_since: dt.datetime | None = None
    """Only jobs known open at this moment or later (a midnight UTC: the map index knows
    the day)."""
    not_confirmed_since: dt.datetime | None = None
    """Only jobs not known open since this moment (a midnight UTC too)."""
    in_title: bool | None = None
    """With keywords, only jobs whose title holds every word (True) or the others (False)."""

    @property
    def reach_country(self) -> str:
        """The country whose remote jobs a result marks as remote ("" if none)."""
        return self.remote_for or self.near_country

    @property
    def terms(self) -> list[str]:
        return words(self.q)

    @property
    def is_empty(self) -> bool:
        return self == JobFilters(sort=self.sort)

    @property
    def order(self) -> str:
        """The sort actually used: best match is relevance with keywords, else newest."""
        if self.sort == Sort.BEST:
            return Sort.RELEVANCE if self.terms else Sort.DATE
        return self.sort

    def apply(self, jobs: JobQuerySet) -> JobQuerySet:
        """Narrow a queryset to the matching jobs, annotated for sorting and display."""
        if self.no_company:
            # Nothing matches, but the annotations below must still exist: callers read
            # ``distance_km`` and ``remote_match`` (a cluster's list with near= did 500).
            jobs = jobs.none()
        if self.terms:
            jobs = jobs.search(self.q, self.in_title)
        if self.confirmed_since is not None:
            jobs = jobs.confirmed_since(self.confirmed_since)
        if self.not_confirmed_since is not None:
            jobs = jobs.not_confirmed_since(self.not_confirmed_since)
        if self.types:
            jobs = jobs.filter(employment_type__in=self.types)
        if self.workplaces:
            jobs = jobs.filter(workplace__in=self.workplaces)
        if self.pay_floor_usd is not None:
            jobs = jobs.filter(pay_usd_year__gte=self.pay_floor_usd)
        if self.posted_since is not None:
            jobs = jobs.filter(posted_at__gte=self.posted_since)
        if self.company_id is not None:
            jobs = jobs.filter(company_id=self.company_id)
        if self.remote_for:
            jobs = jobs.filter(remote_reach(self.remote_for))
        if self.near is not None:
            jobs = jobs.annotate(near_h=_haversine_term(self.near))
            within = bbox_q(*self.near.box()) & Q(near_h__lte=h_limit(self.near.km))
            if self.near_country:
                # Living there, one can apply to a remote job open to that country.
                within |= remote_reach(self.near_country)
            jobs = jobs.filter(within)
            jobs = jobs.annotate(
                distance_km=2 * EARTH_KM * ASin(Sqrt(Least(F("near_h"), Value(1.0))))
            )
        if country := self.reach_country:
            # The country's name where the job is there for remote applicants, else "".
            jobs = jobs.annotate(
                remote_match=Case(
                    When(remote_reach(country), then=Value(country_name(country) or country)),
                    default=Value(""),
                )
            )
        return jobs

    def segments(self, now: dt.datetime | None = None) -> list[JobFilters]:
        """The matching jobs as parts listed one after another, in the order asked.

        Best match lists the jobs confirmed open lately before the others (which sink);
        relevance lists the jobs whose title holds every keyword before those matching only
        through their company or description. Within a part jobs follow :attr:`order_by`.
        Every part is these filters plus conditions, so SQL lists it and the map index
        counts it like any search.
        """
        parts = [self]
        if self.sort == Sort.BEST:
            since = unconfirmed_since(now)
            parts = [replace(self, confirmed_since=since), replace(self, not_confirmed_since=since)]
        if self.order == Sort.RELEVANCE and self.terms:
            parts = [replace(part, in_title=title) for part in parts for title in (True, False)]
        return parts

    @property
    def order_by(self) -> tuple[str, ...]:
        """The order within one segment; newest first is what the ``job_newest`` index
        holds, so the database reads a page of it and stops."""
        if self.order == Sort.DISTANCE and self.near is not None:
            return ("distance_km", "-posted_at", "-id")
        return ("-posted_at", "-id")


def _haversine_term(near: Near) -> Any:
    """SQL for the haversine term, in the same order of operations as ``Near.h``."""
    p1, l1 = math.radians(near.lat), math.radians(near.lng)
    p2, l2 = Radians(F("lat")), Radians(F("lng"))
    half_dp = (p2 - Value(p1)) / Value(2.0)
    half_dl = (l2 - Value(l1)) / Value(2.0)
    return Power(Sin(half_dp), Value(2.0)) + Value(math.cos(p1)) * Cos(p2) * Power(
        Sin(half_dl), Value(2.0)
    )


def _whole_number(value: Any) -> int | None:
    """The number IntegerField would read, or None: ``"²".isdigit()`` is true, yet not an int."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


class JobFilterForm(forms.Form):
    """Search filters from a query string; every field optional."""

    q = forms.CharField(
        label="Keywords",
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "Job title, skill or company"}),
    )
    type = forms.MultipleChoiceField(
        label="Employment type",
        choices=EmploymentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    workplace = forms.MultipleChoiceField(
        label="Workplace",
        choices=Workplace.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    salary_min = forms.DecimalField(
        label="Pay at least",
        required=False,
        min_value=0,
        max_value=Decimal("1000000000"),
        max_digits=13,
        decimal_places=2,
        help_text="Jobs whose pay range reaches this much.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={
            "invalid": "Enter pay as a number, such as 50000.",
            "min_value": "Pay can't be negative.",
            "max_value": "That pay is beyond any job here; check the number.",
        },
    )
    currency = forms.ChoiceField(
        label="Currency", choices=currency_choices, required=False, initial="USD"
    )
    period = forms.ChoiceField(
        label="Per", choices=PayPeriod.choices, required=False, initial=PayPeriod.YEAR
    )
    posted_within_days = forms.IntegerField(
        label="Posted",
        required=False,
        min_value=1,
        max_value=365,
        widget=forms.Select,
        error_messages={
            "invalid": "Posted within must be a number of days.",
            "min_value": "Posted within must be at least 1 day.",
            "max_value": "Posted within can be at most 365 days.",
        },
    )
    company = forms.SlugField(label="Company", required=False, max_length=140)
    near = forms.CharField(
        label="Near",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "City or US ZIP", "autocomplete": "off"}),
    )
    radius_km = forms.IntegerField(
        label="Within (km)",
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "50"}),
        error_messages={
            "invalid": "The radius must be a whole number of kilometres.",
            "min_value": "The radius must be at least 1 km.",
            "max_value": f"The radius can be at most {MAX_RADIUS_KM} km.",
        },
    )
    remote_for = forms.ChoiceField(
        label="Remote, living in",
        choices=lambda: [("", "Any country"), *countries()],
        required=False,
        help_text="Only remote jobs open to applicants living in this country.",
    )
    sort = forms.ChoiceField(label="Sort by", choices=Sort.CHOICES, required=False)

    def __init__(self, data: QueryDict | dict | None = None, **kwargs: Any) -> None:
        if data is not None:
            # A bound form ignores initial values; an amount alone means US dollars a year.
            data = data.copy()
            for name, default in (("currency", "USD"), ("period", PayPeriod.YEAR)):
                if not data.get(name):
                    data[name] = default
            if remote_for := data.get("remote_for"):
                data["remote_for"] = str(remote_for).strip().upper()
        super().__init__(data, **kwargs)
        days = [("", "Any time"), *POSTED_CHOICES]
        typed = _whole_number(self.data.get("posted_within_days")) if self.is_bound else None
        if typed is not None and 1 <= typed <= 365 and typed not in dict(POSTED_CHOICES):
            days.append((typed, f"Past {typed} days"))
        self.fields["posted_within_days"].widget.choices = days

    def clean_near(self) -> Any:
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return None
        place = get_geocoder().geocode(text)
        if place is None:
            near_misses = suggest_places(text, limit=1)
            hint = (
                f"Did you mean “{near_misses[0].label}”?"
                if near_misses
                else "Try a city such as “Austin, TX”, or a US ZIP code."
            )
            raise forms.ValidationError(f"We couldn't find “{text}”. {hint}", code="unknown_place")
        return place

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("sort") == Sort.DISTANCE and not data.get("near"):
            self.add_error("sort", "Choose a place (Near) to sort by distance.")
        if data.get("radius_km") and not data.get("near") and "near" not in self.errors:
            self.add_error("near", "Choose a place to search around.")
        return data

    def error_text(self) -> str:
        """All errors as one sentence per field, for the API's ``detail``."""
        parts = []
        for name, errors in self.errors.items():
            label = "" if name == "__all__" else f"{name}: "
            parts.append(label + " ".join(str(e) for e in errors))
        return "; ".join(parts)

    def filters(self) -> JobFilters:
        """The validated filters; call after ``is_valid()``."""
        data = self.cleaned_data
        pay = None
        if data.get("salary_min"):
            pay = pay_floor_usd(
                data["salary_min"],
                data.get("currency") or "USD",
                data.get("period") or PayPeriod.YEAR,
            )
        posted_since = None
        if data.get("posted_within_days"):
            day = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(
                days=data["posted_within_days"]
            )
            posted_since = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        company_id, no_company = None, False
        if data.get("company"):
            company_id = (
                Company.objects.filter(slug=data["company"]).values_list("id", flat=True).first()
            )
            no_company = company_id is None
        near, near_label, near_country = None, "", ""
        if place := data.get("near"):
            near = Near(place.lat, place.lng, float(data.get("radius_km") or DEFAULT_RADIUS_KM))
            near_label, near_country = place.label, place.country_code.upper()
        return JobFilters(
            q=" ".join(data.get("q", "").split()),
            types=tuple(sorted(data.get("type") or ())),
            workplaces=tuple(sorted(data.get("workplace") or ())),
            pay_floor_usd=pay,
            posted_since=posted_since,
            company_id=company_id,
            no_company=no_company,
            near=near,
            near_label=near_label,
            near_country=near_country,
            remote_for=data.get("remote_for") or "",
            sort=data.get("sort") or Sort.BEST,
        )


FILTER_PARAMS = frozenset(JobFilterForm.base_fields)
"""Query parameters that are filters."""


def filters_from_query(query: QueryDict) -> tuple[JobFilters | None, JobFilterForm | None]:
    """The filters of a query string: ``(filters, None)``, or ``(None, form)`` with errors.

    A query with no filter parameter (the map's usual request) skips the form.
    """
    # Every value counts: "type=contract&type=" is a type filter, not none; and a bad
    # currency or period is an error even without an amount.
    given = (v for name in FILTER_PARAMS for v in query.getlist(name))
    if not any(given):
        return JobFilters(), None
    form = JobFilterForm(query)
    if not form.is_valid():
        return None, form
    return form.filters(), None
