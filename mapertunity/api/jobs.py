"""Jobs in the API: public search and detail; an employer's own jobs with a token.

The search takes the site's filters (``jobs/filters.py``, the same form as ``/jobs/`` and
the map). An employer's token acts for one company: its jobs only, any other job is a
404. Publishing goes through ``jobs.actions.submit``, so the posting rules, the review
queue and the scam screen apply exactly as on the site.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model
from pydantic.fields import FieldInfo

from mapertunity.applications.metrics import NEW, responsiveness
from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.core.geocoding import get_geocoder
from mapertunity.core.links import absolute_url
from mapertunity.core.money import CURRENCIES, pay_problem, to_major, to_minor
from mapertunity.geo.gazetteer import Place, country_name, suggest_places
from mapertunity.jobs import actions
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.listing import WORLD, ordered_jobs
from mapertunity.jobs.mapindex import count_jobs
from mapertunity.jobs.models import (
    MAX_DESCRIPTION,
    MAX_PAY,
    MAX_TITLE,
    MAX_VALID_DAYS,
    Job,
    default_valid_through,
)

from .auth import api_token, token_auth, writer
from .errors import PUBLIC, TOKEN, WRITE, APIError, responses
from .map import DESCRIPTIONS, GET, filter_fields, filters_from
from .pagination import CURSOR, LIMIT, keyset_page, offset_page
from .text import NO_NUL, SOME_TEXT, THREE_CHARACTERS

router = Router(tags=["jobs"])
employer_router = Router(tags=["employer jobs"], auth=token_auth)

WorkplaceCode = Literal[tuple(Workplace.values)]
EmploymentCode = Literal[tuple(EmploymentType.values)]
PeriodCode = Literal[tuple(PayPeriod.values)]
CurrencyCode = Literal[CURRENCIES]
StatusCode = Literal[tuple(Job.Status.values)]


# -- shapes ------------------------------------------------------------------------------


class CompanyOut(Schema):
    name: str
    slug: str
    verified: bool


class PayOut(Schema):
    min: float = Field(..., description="In major units of `currency` (50000.0, not cents).")
    max: float
    currency: str
    period: str
    text: str = Field(..., description="As the site shows it: “$50,000–$65,000 per year”.")


class PlaceOut(Schema):
    city: str
    region: str
    country: str = Field(..., description="ISO 3166-1 alpha-2 code.")
    postal_code: str
    lat: float
    lng: float


class ResponsivenessOut(Schema):
    """How the company answers applicants (``applications/metrics.py``): the applications
    of the last 90 days; ``new`` until five of them could be judged."""

    new: bool
    rate_percent: int | None = Field(..., description="Answered within 14 days, percent.")
    median_hours: float | None = Field(..., description="Median time to a first answer.")
    judged_applications: int


class JobOut(Schema):
    id: int
    title: str
    url: str
    company: CompanyOut
    pay: PayOut
    place: PlaceOut
    workplace: WorkplaceCode
    remote_countries: list[str]
    employment_type: EmploymentCode
    posted_at: dt.datetime | None
    valid_through: dt.datetime


class JobDetailOut(JobOut):
    description: str = Field(..., description="Markdown, as the employer wrote it.")
    description_html: str = Field(..., description="The description rendered and sanitised.")
    responsiveness: ResponsivenessOut


class EmployerJobOut(JobDetailOut):
    status: StatusCode
    status_label: str
    review_note: str = Field(..., description="What staff asked to change, if they sent it back.")
    created_at: dt.datetime
    updated_at: dt.datetime


class JobPage(Schema):
    items: list[JobOut]
    next_cursor: str | None = Field(..., description="Pass as `cursor` for the next page.")
    total: int


class EmployerJobPage(Schema):
    items: list[EmployerJobOut]
    next_cursor: str | None


def job_out(job: Job) -> dict[str, Any]:
    company = job.company
    return {
        "id": job.pk,
        "title": job.title,
        "url": absolute_url(job.get_absolute_url()),
        "company": {"name": company.name, "slug": company.slug, "verified": company.is_verified},
        "pay": {
            "min": float(to_major(job.salary_min, job.salary_currency)),
            "max": float(to_major(job.salary_max, job.salary_currency)),
            "currency": job.salary_currency,
            "period": job.salary_period,
            "text": job.pay,
        },
        "place": {
            "city": job.city,
            "region": job.region,
            "country": job.country,
            "postal_code": job.postal_code,
            "lat": job.lat,
            "lng": job.lng,
        },
        "workplace": job.workplace,
        "remote_countries": list(job.remote_countries or []),
        "employment_type": job.employment_type,
        "posted_at": job.posted_at,
        "valid_through": job.valid_through,
    }


def job_detail_out(job: Job) -> dict[str, Any]:
    figures = responsiveness([job.company_id]).get(job.company_id, NEW)
    return {
        **job_out(job),
        "description": job.description,
        "description_html": job.description_html,
        "responsiveness": figures.as_dict(),
    }


def employer_job_out(job: Job) -> dict[str, Any]:
    return {
        **job_detail_out(job),
        "status": job.status,
        "status_label": job.get_status_display(),
        "review_note": job.review_note,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


# -- public ------------------------------------------------------------------------------

SearchParams = create_model(
    "SearchParams",
    __base__=Schema,
    cursor=(str, CURSOR),
    limit=(int, LIMIT),
    **filter_fields(JobFilterForm, DESCRIPTIONS),
)


@router.api_operation(
    GET,
    "/jobs",
    response=responses({200: JobPage}, *PUBLIC),
    summary="Search live jobs",
    auth=None,
)
def search_jobs(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """The live jobs matching the filters, in the order `sort` asks (best match first by
    default): the same filters, and so the same jobs, as `/jobs/` and the map.

    Best match lists jobs confirmed open lately first; with keywords, jobs whose title
    holds every word come before the others, newest first within each. `total` counts
    every match, but the cursor stops after the first 1,000, as the site's list does:
    narrow the filters (`posted_within_days`, `near`) to reach the others.
    `radius_km` and `sort=distance` need `near`; an unknown place is a 400 naming it.
    """
    filters = filters_from(request)
    jobs = Job.objects.published().select_related("company")
    rows = ordered_jobs(filters, jobs, WORLD)
    page, next_cursor = offset_page(rows, cursor=params.cursor, limit=params.limit, kind="search")
    total = rows.total if rows.exact else count_jobs(*WORLD, filters)
    return {"items": [job_out(j) for j in page], "next_cursor": next_cursor, "total": total}


@router.api_operation(
    GET,
    "/jobs/{job_id}",
    response=responses({200: JobDetailOut}, 404, *PUBLIC),
    summary="One live job",
    auth=None,
)
def get_job(request: HttpRequest, job_id: int) -> Any:
    """A live job with its description and its company's responsiveness figures. A job
    that is closed, expired or waiting for review is a 404 here."""
    job = Job.objects.published().select_related("company").filter(pk=job_id).first()
    if job is None:
        raise APIError(404, "No live job has this id.")
    return job_detail_out(job)


# -- an employer's own jobs --------------------------------------------------------------


class JobIn(Schema):
    """A job as an employer describes it; pay in major units (50000.00, not cents)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(
        ...,
        max_length=MAX_TITLE,
        pattern=THREE_CHARACTERS,
        description="At least 3 characters, not counting spaces at either end.",
    )
    description: str = Field(..., max_length=MAX_DESCRIPTION, pattern=SOME_TEXT)
    place: str = Field(
        ...,
        max_length=120,
        pattern=SOME_TEXT,
        description="City or US ZIP code, e.g. “Austin, TX”.",
    )
    street_address: str = Field("", max_length=200, pattern=NO_NUL)
    postal_code: str = Field("", max_length=20, pattern=NO_NUL)
    workplace: WorkplaceCode = Workplace.ONSITE.value
    remote_countries: list[str] = Field(
        [], max_length=250, description="For remote jobs: ISO codes of where applicants may live."
    )
    employment_type: EmploymentCode = EmploymentType.FULL_TIME.value
    salary_min: Decimal = Field(..., ge=0, le=MAX_PAY, decimal_places=2)
    salary_max: Decimal = Field(..., ge=0, le=MAX_PAY, decimal_places=2)
    salary_currency: CurrencyCode = "USD"
    salary_period: PeriodCode = PayPeriod.YEAR.value
    valid_through: dt.date | None = Field(
        None, description=f"Last day applications are taken; at most {MAX_VALID_DAYS} days away."
    )


class JobCreate(JobIn):
    publish: bool = Field(
        False, description="Submit it at once (as `POST …/publish`); else it stays a draft."
    )


def _optional(info: FieldInfo) -> tuple[Any, FieldInfo]:
    field = copy(info)
    field.default = None
    return (info.annotation | None, field)  # type: ignore[operator]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


JobPatch = create_model(  # type: ignore[call-overload]
    "JobPatch",
    __base__=_Strict,
    **{name: _optional(info) for name, info in JobIn.model_fields.items()},
)
"""Only the fields given change."""


def _place(text: str) -> Place:
    place = get_geocoder().geocode(text)
    if place is None:
        misses = suggest_places(text, limit=1)
        hint = f" Did you mean “{misses[0].label}”?" if misses else " Try “Austin, TX”."
        raise APIError(400, errors={"place": [f"We couldn't find “{text}”.{hint}"]})
    return place


def _job_place(job: Job) -> Place:
    return Place(
        name=job.city,
        region=job.region,
        country_code=job.country,
        country_name=country_name(job.country) or job.country,
        lat=job.lat,
        lng=job.lng,
        population=0,
        postal_code=job.postal_code,
    )


def _valid_through(day: dt.date | None, job: Job | None) -> dt.datetime:
    """The form's rule (``jobs/forms.py``): a day after today, within MAX_VALID_DAYS."""
    if day is None:
        if job is not None and job.valid_through > timezone.now():
            return job.valid_through
        return default_valid_through()
    today = timezone.localdate()
    if day <= today:
        raise APIError(400, errors={"valid_through": ["Choose a date after today."]})
    if day > today + dt.timedelta(days=MAX_VALID_DAYS):
        raise APIError(
            400, errors={"valid_through": [f"Choose a date within {MAX_VALID_DAYS} days."]}
        )
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def details_from(data: dict[str, Any], job: Job | None) -> actions.JobDetails:
    """Checked values for ``post_job``/``update_job``, with the site's posting rules."""
    errors: dict[str, list[str]] = {}
    currency, period = data["salary_currency"], data["salary_period"]
    low, high = to_minor(data["salary_min"], currency), to_minor(data["salary_max"], currency)
    problem = pay_problem(low, high, currency, period)
    if problem is not None:
        errors.setdefault(problem[0], []).append(problem[1])
    countries = sorted({str(c).upper() for c in data["remote_countries"] or []})
    if data["workplace"] == Workplace.REMOTE:
        unknown = [c for c in countries if not country_name(c)]
        if not countries:
            errors["remote_countries"] = ["Choose at least one country where applicants may live."]
        elif unknown:
            errors["remote_countries"] = [f"Not a country code: {', '.join(unknown)}."]
    else:
        countries = []
    if errors:
        raise APIError(400, errors=errors)
    place = data["place"]
    return actions.JobDetails(
        title=" ".join(str(data["title"]).split()),
        description=data["description"],
        place=place if isinstance(place, Place) else _place(place),
        street_address=data["street_address"] or "",
        postal_code=data["postal_code"] or "",
        workplace=data["workplace"],
        remote_countries=countries,
        employment_type=data["employment_type"],
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        valid_through=_valid_through(data["valid_through"], job),
    )


def _get_job_for_token(request: HttpRequest, job_id: int) -> Job:
    """The job if it belongs to the token's company; 404 for any other."""
    token = api_token(request)
    job = Job.objects.select_related("company").filter(pk=job_id, company=token.company).first()
    if job is None:
        raise APIError(404, "Your company has no job with this id.")
    return job


def _refused(error: ValidationError) -> APIError:
    """A workflow's refusal: a 409, naming what to do instead."""
    code = 403 if isinstance(error, actions.EmailNotConfirmed) else 409
    return APIError(code, " ".join(error.messages))


class EmployerListParams(Schema):
    cursor: str = CURSOR
    limit: int = LIMIT
    status: StatusCode | None = Field(None, description="Only jobs in this status.")


@employer_router.api_operation(
    GET,
    "/jobs",
    response=responses({200: EmployerJobPage}, *TOKEN),
    summary="Your company's jobs",
)
def list_my_jobs(request: HttpRequest, params: Query[EmployerListParams]) -> dict[str, Any]:
    """Every job of the token's company, any status, newest first."""
    rows = Job.objects.filter(company=api_token(request).company).select_related("company")
    if params.status:
        rows = rows.filter(status=params.status)
    page, next_cursor = keyset_page(
        rows, cursor=params.cursor, limit=params.limit, kind="employer-jobs"
    )
    return {"items": [employer_job_out(j) for j in page], "next_cursor": next_cursor}


@employer_router.post(
    "/jobs",
    response=responses({201: EmployerJobOut}, 409, *WRITE),
    summary="Post a job",
)
def create_job(request: HttpRequest, body: JobCreate) -> Any:
    """A new job, saved as a draft; with `publish: true` it is submitted at once, like
    `POST /employer/jobs/{job_id}/publish` (a 409 then means it was saved as a draft but
    not submitted: the detail says why)."""
    token = writer(request)
    data = body.dict()
    details = details_from(data, None)
    try:
        job = actions.post_job(company=token.company, author=token.user, details=details)
    except ValidationError as error:
        raise _refused(error) from None
    if data["publish"]:
        try:
            actions.submit(job=job, by=token.user)
        except ValidationError as error:
            raise _refused(error) from None
    return Status(201, employer_job_out(job))


@employer_router.api_operation(
    GET,
    "/jobs/{job_id}",
    response=responses({200: EmployerJobOut}, 404, *TOKEN),
    summary="One of your jobs",
)
def get_my_job(request: HttpRequest, job_id: int) -> Any:
    return employer_job_out(_get_job_for_token(request, job_id))


@employer_router.patch(
    "/jobs/{job_id}",
    response=responses({200: EmployerJobOut}, 404, 409, *WRITE),
    summary="Change a job",
)
def update_my_job(request: HttpRequest, job_id: int, body: JobPatch) -> Any:
    """Only the fields given change. A live job is screened again: if the new text is
    held it leaves the site until staff look (its `status` becomes `pending`)."""
    writer(request)
    job = _get_job_for_token(request, job_id)
    if job.status == Job.Status.CLOSED:
        raise APIError(409, "A closed job can't be changed; post a new one.")
    current = {
        "title": job.title,
        "description": job.description,
        "place": _job_place(job),
        "street_address": job.street_address,
        "postal_code": job.postal_code,
        "workplace": job.workplace,
        "remote_countries": job.remote_countries,
        "employment_type": job.employment_type,
        "salary_min": to_major(job.salary_min, job.salary_currency),
        "salary_max": to_major(job.salary_max, job.salary_currency),
        "salary_currency": job.salary_currency,
        "salary_period": job.salary_period,
        "valid_through": None,
    }
    given = body.dict(exclude_unset=True)
    current.update({k: v for k, v in given.items() if v is not None})
    details = details_from(current, job)
    try:
        actions.update_job(job=job, details=details)
    except ValidationError as error:
        raise _refused(error) from None
    return employer_job_out(job)


@employer_router.post(
    "/jobs/{job_id}/publish",
    response=responses({200: EmployerJobOut}, 404, 409, *WRITE),
    summary="Submit a job to go live",
)
def publish_my_job(request: HttpRequest, job_id: int) -> Any:
    """As the site's Publish button (`jobs.actions.submit`): live at once when the company
    had a posting approved before and the scam screen passes it; otherwise it waits for
    review (`status: pending`). A 409 says why it can't be submitted (already live, a
    repost of one of your jobs, closed); a 403 when your email address isn't confirmed."""
    token = writer(request)
    job = _get_job_for_token(request, job_id)
    try:
        actions.submit(job=job, by=token.user)
    except ValidationError as error:
        raise _refused(error) from None
    return employer_job_out(job)


@employer_router.post(
    "/jobs/{job_id}/close",
    response=responses({200: EmployerJobOut}, 404, 409, *WRITE),
    summary="Close a job",
)
def close_my_job(request: HttpRequest, job_id: int) -> Any:
    """The job leaves the site at once (its page answers 410); it can't be reopened."""
    writer(request)
    job = _get_job_for_token(request, job_id)
    try:
        actions.close(job=job)
    except ValidationError as error:
        raise _refused(error) from None
    return employer_job_out(job)
