"""Job workflows: posting, submitting for the site, editing, renewing, closing, expiring.

Views hand these functions validated values (never forms); each runs in one transaction.

Going live is ``submit``: the author must have confirmed their email, the job must not be
a repost of one of the company's own, and the scam screen scores it. A new employer's
first posting, and any posting the screen holds, waits in the review queue (status
pending) instead; staff decide in the admin (``moderation.actions``).

Credits (``billing.actions`` has the whole rule): submitting takes the company's free
first posting or spends one credit, in the same transaction as the status change, so a
job refused for want of a credit stays as it was; renewing spends one credit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.billing import actions as billing
from mapertunity.companies.models import Company
from mapertunity.core.ratelimit import allow
from mapertunity.core.tasks import enqueue_on_commit
from mapertunity.geo.gazetteer import Place

from .models import Job
from .screen import screen
from .screen.context import posting_for_job
from .similarity import same_posting

NOTIFY_EXPIRY = "mapertunity.jobs.tasks.notify_expiry"
RENEW_SALT = "mapertunity.jobs.renew"
RENEW_LINK_DAYS = 14
FIRST_POSTING = "First posting of a new employer"
RESUBMITTED = "Sent again after staff asked for changes"
EDITED_LIVE = "Edited while live, and the screen held the new text"
REPOST_WINDOW = dt.timedelta(days=120)
"""Postings of the same company this recent count when looking for a repost."""


@dataclass(frozen=True)
class JobDetails:
    """What an employer says about a job; pay in minor units of ``salary_currency``."""

    title: str
    description: str
    place: Place
    workplace: str
    employment_type: str
    salary_min: int
    salary_max: int
    salary_currency: str
    salary_period: str
    valid_through: dt.datetime
    street_address: str = ""
    postal_code: str = ""
    remote_countries: list[str] = field(default_factory=list)


class PlaceChangeLimit(ValidationError):
    """The job's place was changed too often today."""


class EmailNotConfirmed(ValidationError):
    """The employer hasn't confirmed their email address, so nothing of theirs goes live."""


class RepostRefused(ValidationError):
    """The same job, posted again by the same company to climb the list: renew it instead."""

    def __init__(self, original: Job) -> None:
        self.original = original
        when = original.posted_at or original.created_at
        super().__init__(
            f"This is the same job as “{original.title}”, posted on {when.day} {when:%B %Y}. "
            "Instead of posting it again, renew that one from your jobs page: it stays "
            "open for another period.",
            code="repost",
        )


def find_repost(
    *, company: Company, title: str, description: str, exclude: Job | None = None
) -> Job | None:
    """The company's own recent job with a near-identical title and text, if any.

    Drafts don't count (they are the employer's notes), nor closed jobs: closing a filled
    job and posting it again later is honest. Anything live, waiting, hidden, sent back or
    expired counts: posting it again would only move it up the list.
    """
    since = timezone.now() - REPOST_WINDOW
    others = Job.objects.filter(company=company, created_at__gte=since).exclude(
        status__in=[Job.Status.DRAFT, Job.Status.CLOSED]
    )
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others.only("title", "description", "posted_at", "created_at", "status"):
        if same_posting(title, description, other.title, other.description):
            return other
    return None


def _apply(job: Job, details: JobDetails) -> None:
    job.title, job.description = details.title, details.description
    place = details.place
    job.lat, job.lng = place.lat, place.lng
    job.city, job.region, job.country = place.name, place.region, place.country_code
    job.street_address = details.street_address
    job.postal_code = details.postal_code or place.postal_code or ""
    job.workplace, job.employment_type = details.workplace, details.employment_type
    job.remote_countries = list(details.remote_countries)
    job.salary_min, job.salary_max = details.salary_min, details.salary_max
    job.salary_currency, job.salary_period = details.salary_currency, details.salary_period
    job.valid_through = details.valid_through


def post_job(
    *,
    company: Company,
    author: User | None,
    details: JobDetails,
    publish: bool = False,
    now: dt.datetime | None = None,
) -> Job:
    """A new job for ``company``, saved as a draft, and submitted at once if ``publish``.

    Raises :class:`RepostRefused` (nothing saved) for a repost of one of the company's
    jobs; with ``publish``, whatever :func:`submit` raises, after the draft is saved.
    """
    original = find_repost(company=company, title=details.title, description=details.description)
    if original is not None:
        raise RepostRefused(original)
    job = Job(company=company, created_by=author)
    _apply(job, details)
    with transaction.atomic():
        job.save()
    if publish:
        submit(job=job, by=author, now=now)
    return job


def submit(*, job: Job, by: User | None, now: dt.datetime | None = None) -> Job:
    """The employer asks for a draft (or a job sent back) to go live.

    It goes live at once when its company had a posting approved before and the screen
    passes it; otherwise it waits for review (``job.status`` says which). ``by`` is the
    person asking; None for staff and scripts.
    """
    now = now or timezone.now()
    if job.status == Job.Status.PENDING:
        raise ValidationError("This job is already waiting for review.", code="pending")
    if job.status in {Job.Status.EXPIRED, Job.Status.PUBLISHED}:
        raise ValidationError("This job was live already: renew it to keep it open.", code="renew")
    if job.status == Job.Status.CLOSED:
        raise ValidationError("A closed job can't be published again; post a new one.")
    if job.status == Job.Status.HIDDEN:
        raise ValidationError("Staff are looking at this job after reports.", code="hidden")
    if by is not None and not by.has_verified_email:
        raise EmailNotConfirmed(
            f"Confirm your email address ({by.email}) first: a job goes live only from a "
            "confirmed address. Your job is saved as a draft.",
            code="email",
        )
    original = find_repost(
        company=job.company, title=job.title, description=job.description, exclude=job
    )
    if original is not None:
        raise RepostRefused(original)
    verdict = screen(posting_for_job(job))
    reasons = list(verdict.reasons)
    if job.status == Job.Status.REJECTED:
        reasons.insert(0, RESUBMITTED)
    if job.company.is_new_employer:
        reasons.insert(0, FIRST_POSTING)
    with transaction.atomic():
        billing.charge_posting(job=job, by=by, now=now)
        if verdict.held or job.status == Job.Status.REJECTED or job.company.is_new_employer:
            job.hold(reasons=reasons, score=verdict.score, now=now)
        else:
            job.review_reasons, job.screen_score = reasons, verdict.score
            job.publish(now=now)
    return job


def update_job(*, job: Job, details: JobDetails, now: dt.datetime | None = None) -> Job:
    """Save an employer's edits. A live job is screened again: if the new text is held,
    the job leaves the site until staff look at it.

    Moving a job is rate limited (``JOB_PLACE_CHANGES_PER_DAY``): answers about who lives
    near a job must not be sampled at many places to home in on a person. Those answers
    depend only on public points already, so this is a second line of defence.
    """
    moved = (round(details.place.lat, 7), round(details.place.lng, 7)) != (
        round(job.lat, 7),
        round(job.lng, 7),
    )
    if moved and not allow(
        "job-place",
        str(job.pk),
        limit=settings.JOB_PLACE_CHANGES_PER_DAY,
        window_seconds=24 * 3600,
    ):
        raise PlaceChangeLimit(
            f"This job's place can change at most {settings.JOB_PLACE_CHANGES_PER_DAY} "
            "times a day. Keep the current place, or try again tomorrow.",
            code="place_changes",
        )
    _apply(job, details)
    with transaction.atomic():
        job.save()
        if job.status == Job.Status.PUBLISHED:
            verdict = screen(posting_for_job(job))
            if verdict.held:
                reasons = [EDITED_LIVE, *verdict.reasons]
                job.hold(reasons=reasons, score=verdict.score, now=now or timezone.now())
    return job


def publish(*, job: Job) -> Job:
    """Put a job live directly (staff): no screen, no review."""
    with transaction.atomic():
        job.publish()
    return job


def close(*, job: Job, now: dt.datetime | None = None) -> Job:
    """The employer closes a job; one withdrawn from review before it was ever live gets
    its credit back."""
    with transaction.atomic():
        was_waiting = job.status == Job.Status.PENDING
        job.close()
        if was_waiting:
            billing.refund_if_never_live(job=job, now=now)
    return job


def renew(*, job: Job, by: User | None = None, now: dt.datetime | None = None) -> Job:
    """Keep a live or expired job open for another period (``JOB_VALID_DAYS``), for one
    credit; :class:`billing.NoCredits` (nothing changed) when the company has none."""
    now = now or timezone.now()
    if not job.can_renew:
        raise ValidationError(
            f"A job that is {job.get_status_display().lower()} can't be renewed.",
            code="transition",
        )
    with transaction.atomic():
        billing.charge_renewal(job=job, by=by, now=now)
        job.renew(now=now)
    return job


def confirm_open(*, job: Job, now: dt.datetime | None = None) -> Job:
    """The employer pressed "still open": the page says so, and it keeps its place."""
    job.confirm_open(now=now or timezone.now())
    return job


def employers_to_notify(job: Job) -> list[User]:
    """Who hears about a job: its author while still a member, else the whole team."""
    members = User.objects.filter(memberships__company_id=job.company_id, is_active=True)
    author = members.filter(pk=job.created_by_id).first() if job.created_by_id else None
    return [author] if author is not None else list(members)


def renew_token(job: Job) -> str:
    return signing.dumps({"j": job.pk}, salt=RENEW_SALT)


def renew_url(job: Job) -> str:
    return reverse("employers:job_renew_link", args=[renew_token(job)])


def read_renew_token(token: str) -> Job | None:
    """The job a renew link (from an expiry notice) is for; None if forged or too old."""
    try:
        data = signing.loads(token, salt=RENEW_SALT, max_age=dt.timedelta(days=RENEW_LINK_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("j"), int):
        return None
    return Job.objects.select_related("company").filter(pk=data["j"]).first()


def send_expiry_notices(*, now: dt.datetime | None = None) -> int:
    """Tell employers about live jobs closing within ``JOB_EXPIRY_NOTICE_DAYS``; how many.

    Each job is claimed by a conditional UPDATE, so two sweeps never notify twice; the
    claim is cleared when the job is renewed, ready for its next period.
    """
    now = now or timezone.now()
    within = dt.timedelta(days=settings.JOB_EXPIRY_NOTICE_DAYS)
    due = Job.objects.expiring(now=now, within=within).filter(expiry_notice_sent_at__isnull=True)
    sent = 0
    for pk in due.values_list("pk", flat=True)[:500]:
        claimed = Job.objects.filter(pk=pk, expiry_notice_sent_at__isnull=True).update(
            expiry_notice_sent_at=now
        )
        if claimed:
            enqueue_on_commit(NOTIFY_EXPIRY, pk)
            sent += 1
    return sent


def expire_due_jobs(*, now: dt.datetime | None = None) -> int:
    """Mark published jobs past their closing date as expired; how many changed.

    One conditional UPDATE: running it twice, or in two workers at once, changes nothing
    the second time.
    """
    now = now or timezone.now()
    return Job.objects.filter(status=Job.Status.PUBLISHED, valid_through__lte=now).update(
        status=Job.Status.EXPIRED, updated_at=now
    )
