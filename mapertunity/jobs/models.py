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
from .similarity import text_key, title_key

MAX_PAY = Decimal("100000000")
"""The largest pay figure (major units) a posting may give, in the form and the API."""
MAX_VALID_DAYS = 120
MAX_TITLE = 120
MAX_DESCRIPTION = 20_000


def default_valid_through(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=settings.JOB_VALID_DAYS)


def unconfirmed_since(now: dt.datetime | None = None) -> dt.datetime:
    """Jobs last confirmed open before this are marked "not confirmed recently".

    Midnight UTC, ``JOB_UNCONFIRMED_DAYS`` days back: the map index knows when a job was
    last confirmed by the day (as it knows the posting day), and so counts these jobs
    exactly, which lets the list put them last without sorting every job.
    """
    back = (now or timezone.now()) - dt.timedelta(days=settings.JOB_UNCONFIRMED_DAYS)
    return dt.datetime.combine(back.astimezone(dt.UTC).date(), dt.time(), tzinfo=dt.UTC)


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


def confirmed_since_q(moment: dt.datetime) -> Q:
    """Known open at ``moment`` or later (see ``Job.last_confirmed_at``); a job never
    posted counts as confirmed, as ``Job.is_unconfirmed`` says."""
    return Q(posted_at__gte=moment) | Q(posted_at__isnull=True) | Q(confirmed_open_at__gte=moment)


def not_confirmed_since_q(moment: dt.datetime) -> Q:
    """The complement of :func:`confirmed_since_q`, spelt so that SQL NULLs can't drop a
    job from both, and so that an index on the posting date serves it."""
    return Q(posted_at__lt=moment) & (
        Q(confirmed_open_at__isnull=True) | Q(confirmed_open_at__lt=moment)
    )


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

    def search(self, query: str, in_title: bool | None = None) -> JobQuerySet:
        """Jobs matching every word of ``query`` in title, company or description; all jobs
        if it has no words. ``in_title`` True keeps those whose title holds every word,
        False the others."""
        return search.search(self, query, in_title)

    def for_employer(self, user: AbstractBaseUser | AnonymousUser) -> JobQuerySet:
        """Jobs of the companies the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(company__memberships__user_id=user.pk)

    def needs_review(self) -> JobQuerySet:
        """Jobs waiting for staff: held or first postings (pending), hidden after reports."""
        return self.filter(status__in=[Job.Status.PENDING, Job.Status.HIDDEN])

    def expiring(self, *, now: dt.datetime, within: dt.timedelta) -> JobQuerySet:
        """Live jobs whose closing date is less than ``within`` away."""
        return self.filter(
            status=Job.Status.PUBLISHED, valid_through__gt=now, valid_through__lte=now + within
        )

    def confirmed_since(self, moment: dt.datetime) -> JobQuerySet:
        """Jobs known open at ``moment`` or later: posted, renewed or confirmed since."""
        return self.filter(confirmed_since_q(moment))

    def not_confirmed_since(self, moment: dt.datetime) -> JobQuerySet:
        """The other jobs: posted before ``moment`` and not confirmed open since."""
        return self.filter(not_confirmed_since_q(moment))


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Changes requested"
        HIDDEN = "hidden", "Hidden after reports"
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
    confirmed_open_at = models.DateTimeField(
        null=True, blank=True, help_text="When the employer last said the job is still open."
    )
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Review: why the job waits for staff, the scam screen's score, and the answer.
    review_reasons = models.JSONField(default=list, blank=True, editable=False)
    screen_score = models.FloatField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    review_note = models.TextField(
        blank=True, help_text="What staff asked the employer to change (shown to them)."
    )
    # Folded title and a digest of the folded text: find reposts and copied postings.
    title_key = models.CharField(max_length=120, db_index=True, editable=False, default="")
    text_key = models.CharField(max_length=32, db_index=True, editable=False, default="")
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
                "title_key",
                "text_key",
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
        self.title_key, self.text_key = title_key(self.title), text_key(self.description)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.valid_through > timezone.now()

    OFF_THE_SITE = frozenset(
        {Status.CLOSED, Status.EXPIRED, Status.PENDING, Status.HIDDEN, Status.REJECTED}
    )

    @property
    def is_gone(self) -> bool:
        """Closed, past its date, held, hidden or sent back: the page answers 410 Gone."""
        return self.status in self.OFF_THE_SITE or (
            self.status == self.Status.PUBLISHED and self.valid_through <= timezone.now()
        )

    @property
    def last_confirmed_at(self) -> dt.datetime | None:
        """When the job was last known open: posted, renewed, or "still open" pressed,
        whichever came last (a job published again is fresh, whatever was confirmed
        before)."""
        known = [t for t in (self.posted_at, self.confirmed_open_at) if t is not None]
        return max(known, default=None)

    @property
    def is_unconfirmed(self) -> bool:
        """Live, but nobody confirmed it open for ``JOB_UNCONFIRMED_DAYS``."""
        last = self.last_confirmed_at
        return last is not None and last < unconfirmed_since()

    @property
    def was_confirmed(self) -> bool:
        """The employer said it is still open after posting it (shown on the page)."""
        return self.confirmed_open_at is not None

    @property
    def can_renew(self) -> bool:
        return self.status in {self.Status.PUBLISHED, self.Status.EXPIRED}

    @property
    def can_close(self) -> bool:
        """Sent for the site and not closed yet; a draft is deleted or published instead."""
        return self.status not in {self.Status.DRAFT, self.Status.CLOSED}

    @property
    def can_delete(self) -> bool:
        """Only a draft: nothing outside the company ever saw it, applied or paid for it."""
        return self.status == self.Status.DRAFT

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

    def _refuse(self, allowed: set[str], action: str) -> None:
        if self.status not in allowed:
            raise ValidationError(
                f"A job that is {self.get_status_display().lower()} can't be {action}.",
                code="transition",
            )

    def publish(self, *, now: dt.datetime | None = None) -> None:
        """Go live now, for a new period if the old one is over (staff, or a trusted
        employer's submission that passed the screen)."""
        if self.is_live:
            raise ValidationError("This job is already published.")
        if self.status == self.Status.CLOSED:
            raise ValidationError("A closed job can't be published again; post a new one.")
        now = now or timezone.now()
        self.status = self.Status.PUBLISHED
        self.posted_at = now
        if self.valid_through <= now:
            self.valid_through = default_valid_through(now)
        self.review_note = ""
        self.save()

    def hold(self, *, reasons: list[str], score: float | None, now: dt.datetime) -> None:
        """Send the job to the review queue; it is off the site until staff decide."""
        self._refuse(
            {
                self.Status.DRAFT,
                self.Status.REJECTED,
                self.Status.PUBLISHED,
                self.Status.PENDING,
                self.Status.EXPIRED,
            },
            "sent for review",
        )
        self.status = self.Status.PENDING
        self.review_reasons, self.screen_score = list(reasons), score
        self.submitted_at = now
        self.save()

    def hide(self, *, reason: str, now: dt.datetime) -> None:
        """Take a live job off the site after reports, until staff look at it."""
        self._refuse({self.Status.PUBLISHED}, "hidden")
        self.status = self.Status.HIDDEN
        self.review_reasons = [*self.review_reasons, reason]
        self.submitted_at = now
        self.save(update_fields=["status", "review_reasons", "submitted_at"])

    def approve(self, *, by: Any, now: dt.datetime) -> None:
        """Staff let a held or hidden job (back) on the site."""
        self._refuse({self.Status.PENDING, self.Status.HIDDEN}, "approved")
        self.status = self.Status.PUBLISHED
        if self.posted_at is None:
            self.posted_at = now
        if self.valid_through <= now:
            self.valid_through = default_valid_through(now)
        self.reviewed_at, self.reviewed_by = now, by
        self.review_note = ""
        self.save()

    def reject(self, *, by: Any, reason: str, now: dt.datetime) -> None:
        """Staff send a job back to the employer with what to change; it is off the site
        until they change it and send it again."""
        self._refuse({self.Status.PENDING, self.Status.HIDDEN, self.Status.PUBLISHED}, "sent back")
        if not reason.strip():
            raise ValidationError("Say what the employer should change.", code="reason")
        self.status = self.Status.REJECTED
        self.reviewed_at, self.reviewed_by = now, by
        self.review_note = reason.strip()
        self.save()

    def renew(self, *, now: dt.datetime) -> None:
        """Keep a live or expired job open for another full period, added to what is left
        of this one (a renewal is paid for). The posting date stays: renewing keeps a job,
        it doesn't move it up the list."""
        self._refuse({self.Status.PUBLISHED, self.Status.EXPIRED}, "renewed")
        self.status = self.Status.PUBLISHED
        self.valid_through = default_valid_through(max(self.valid_through, now))
        self.confirmed_open_at = now
        self.expiry_notice_sent_at = None
        self.save()

    def confirm_open(self, *, now: dt.datetime) -> None:
        """The employer says the job is still open."""
        if not self.is_live:
            raise ValidationError("Only a live job can be confirmed open.", code="transition")
        self.confirmed_open_at = now
        self.save(update_fields=["confirmed_open_at"])

    def close(self) -> None:
        if self.status == self.Status.CLOSED:
            raise ValidationError("This job is already closed.")
        if not self.can_close:
            raise ValidationError(
                "A draft isn't closed: delete it, or publish it.", code="transition"
            )
        self.status = self.Status.CLOSED
        self.save(update_fields=["status"])

    def delete_draft(self) -> None:
        if not self.can_delete:
            raise ValidationError(
                "Only a draft can be deleted; close a job that was sent for the site.",
                code="transition",
            )
        self.delete()
