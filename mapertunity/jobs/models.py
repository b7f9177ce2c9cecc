from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify

from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.core.markdown import render_markdown
from mapertunity.core.money import annual_usd, format_pay, to_major
from mapertunity.geo.morton import morton_key

from . import search


def default_valid_through() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.JOB_VALID_DAYS)


def bbox_q(west: float, south: float, east: float, north: float) -> Q:
    """Inside a lng/lat box; west > east means the box crosses the antimeridian."""
    lng = Q(lng__gte=west, lng__lte=east)
    if west > east:
        lng = Q(lng__gte=west) | Q(lng__lte=east)
    return lng & Q(lat__gte=south, lat__lte=north)


def remote_reach(country: str) -> Q:
    """Remote jobs open to applicants living in the country (an ISO code).

    JSON containment isn't portable to SQLite; the codes are quoted in the stored list, so
    its text holds ``"DE"`` exactly when DE is one of them.
    """
    return Q(workplace=Workplace.REMOTE, remote_countries__icontains=f'"{country.upper()}"')


class JobMarker(TypedDict):
    """What a job's map marker and the map's list of a cluster show."""

    id: int
    title: str
    company: str
    pay: str
    place: str
    url: str
    workplace: str
    company_id: int
    responsiveness: NotRequired[str]
    """How quickly the company answers, in words; added by the applications app."""


@functools.lru_cache(maxsize=8)
def _detail_url_format(urlconf: str | None, prefix: str) -> str:
    # reverse() costs ~20 µs; a map answer names hundreds of jobs. Reverse once with marker
    # values and fill them in (ids are digits and slugs URL-safe, so nothing needs quoting).
    url = reverse("jobs:detail", kwargs={"job_id": 918273645, "slug": "s1u2g3"})
    return (
        url.replace("{", "{{")
        .replace("}", "}}")
        .replace("918273645", "{id}")
        .replace("s1u2g3", "{slug}")
    )


def detail_url(job_id: int, slug: str) -> str:
    """``reverse("jobs:detail", ...)`` for many jobs at once."""
    return _detail_url_format(get_urlconf(), get_script_prefix()).format(id=job_id, slug=slug)


class JobQuerySet(models.QuerySet["Job"]):
    def published(self) -> JobQuerySet:
        """Jobs anyone can see: published and not past their closing date."""
        return self.filter(status=Job.Status.PUBLISHED, valid_through__gt=timezone.now())

    def in_bbox(self, west: float, south: float, east: float, north: float) -> JobQuerySet:
        """Jobs inside a lng/lat box; west > east means the box crosses the antimeridian."""
        return self.filter(bbox_q(west, south, east, north))

    def remote_open_to(self, country: str) -> JobQuerySet:
        """Remote jobs whose applicants may live in the country (an ISO code)."""
        return self.filter(remote_reach(country))

    def markers(self) -> list[JobMarker]:
        """The jobs' marker fields in the queryset's order, read without model objects."""
        periods = dict(PayPeriod.choices)
        rows = self.values_list(
            "id",
            "title",
            "slug",
            "company__name",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
            "city",
            "region",
            "country",
            "workplace",
            "company_id",
        )
        return [
            {
                "id": job_id,
                "title": title,
                "company": company,
                "pay": format_pay(low, high, currency, periods.get(period, period)),
                "place": ", ".join(part for part in (city, region, country) if part),
                "url": detail_url(job_id, slug),
                "workplace": workplace,
                "company_id": company_id,
            }
            for job_id, title, slug, company, low, high, currency, period, city, region, country, workplace, company_id in rows  # noqa: E501
        ]

    def search(self, query: str) -> JobQuerySet:
        """Jobs matching every word of ``query`` in title, company or description, annotated
        with ``search_rank`` (higher is better); all jobs if it has no words."""
        return search.search(self, query)

    def for_employer(self, user: AbstractBaseUser | AnonymousUser) -> JobQuerySet:
        """Jobs of the companies the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__memberships__user_id=user.pk)


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        EXPIRED = "expired", "Expired"
        CLOSED = "closed", "Closed"

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    title = models.CharField(max_length=140)
    slug = models.SlugField(max_length=160, editable=False)
    description = models.TextField(help_text="Markdown is supported.")
    description_html = models.TextField(editable=False, default="")

    lat = models.FloatField()
    lng = models.FloatField()
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    street_address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    # Z-order key of the Web-Mercator position: B-tree range scans answer bbox queries.
    morton_key = models.BigIntegerField(db_index=True, editable=False)

    workplace = models.CharField(max_length=10, choices=Workplace.choices, default=Workplace.ONSITE)
    remote_countries = models.JSONField(
        default=list,
        blank=True,
        help_text="For remote jobs: ISO codes of the countries applicants may live in.",
    )
    employment_type = models.CharField(
        max_length=12, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    # Pay in integer minor units (cents) of salary_currency.
    salary_min = models.BigIntegerField()
    salary_max = models.BigIntegerField()
    salary_currency = models.CharField(max_length=3, default="USD")
    salary_period = models.CharField(
        max_length=5, choices=PayPeriod.choices, default=PayPeriod.YEAR
    )
    # The top of the pay range in US dollars a year (money.USD_RATES), what pay filters
    # compare; empty when the currency has no rate.
    pay_usd_year = models.PositiveIntegerField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    posted_at = models.DateTimeField(null=True, blank=True)
    valid_through = models.DateTimeField(default=default_valid_through)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "valid_through"], name="job_status_valid"),
            models.Index(fields=["-posted_at", "-id"], name="job_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__gte=0) & Q(salary_max__gte=models.F("salary_min")),
                name="job_pay_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="job_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.slug = slugify(self.title)[:160] or "job"
        self.description_html = render_markdown(self.description)
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "description_html",
                "lat",
                "lng",
                "morton_key",
                "pay_usd_year",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", kwargs={"job_id": self.pk, "slug": self.slug})

    def fill_derived(self) -> None:
        """Set the stored values derived from the others: rounded position, Morton key,
        annualised pay. ``save()`` calls this; call it yourself before ``bulk_create``.

        Positions are kept to 1e-7 degree (about 1 cm) so the map index, which holds them
        as integers in that unit, agrees exactly with SQL on which jobs a box contains.
        """
        self.lat, self.lng = round(float(self.lat), 7), round(float(self.lng), 7)
        self.morton_key = morton_key(self.lat, self.lng)
        self.pay_usd_year = annual_usd(self.salary_max, self.salary_currency, self.salary_period)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.valid_through > timezone.now()

    @property
    def is_gone(self) -> bool:
        """Closed or past its date: the page answers 410 Gone."""
        return self.status in {self.Status.CLOSED, self.Status.EXPIRED} or (
            self.status == self.Status.PUBLISHED and self.valid_through <= timezone.now()
        )

    @property
    def pay(self) -> str:
        return format_pay(
            self.salary_min, self.salary_max, self.salary_currency, self.get_salary_period_display()
        )

    @property
    def place_label(self) -> str:
        return ", ".join(part for part in [self.city, self.region, self.country] if part)

    @property
    def salary_min_major(self) -> Decimal:
        return to_major(self.salary_min, self.salary_currency)

    @property
    def salary_max_major(self) -> Decimal:
        return to_major(self.salary_max, self.salary_currency)

    def publish(self) -> None:
        if self.is_live:
            raise ValidationError("This job is already published.")
        if self.status == self.Status.CLOSED:
            raise ValidationError("A closed job can't be published again; post a new one.")
        now = timezone.now()
        self.status = self.Status.PUBLISHED
        self.posted_at = now
        if self.valid_through <= now:
            self.valid_through = default_valid_through()
        self.save()

    def close(self) -> None:
        if self.status == self.Status.CLOSED:
            raise ValidationError("This job is already closed.")
        self.status = self.Status.CLOSED
        self.save(update_fields=["status"])
