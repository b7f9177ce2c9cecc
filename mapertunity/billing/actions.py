"""Credits: what a posting costs, spending, refunds and grants.

The rule, in one place:

- A company's first posting is free: the first job any of its members sends for the site
  takes the company's one free posting (a unique row per company, not per account).
- Every later posting costs one credit, and so does every renewal (another
  ``JOB_VALID_DAYS`` on the site).
- The credit is spent when the job is sent for the site (``jobs.actions.submit``), whether
  it goes live at once or waits in the review queue, so two postings sent at once with one
  credit left can't both get it.
- If staff send a job back from the review queue before it was ever live, its credit is
  refunded; sending the changed job again spends one again. A job sent back after it was
  live keeps what it paid, and sending it again costs nothing more. A free first posting
  that is sent back stays that job's: sending it again is still free.

The balance is the sum of the company's movements. Spending locks the company's row
(``select_for_update``; SQLite serialises writers with ``BEGIN IMMEDIATE``), so the balance
read and the spend written are one step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.companies.models import Company

from .models import Movement

if TYPE_CHECKING:  # jobs sits above billing: it calls in, never the reverse
    from mapertunity.jobs.models import Job


class NoCredits(ValidationError):
    """The company has no credit for this posting or renewal; nothing was changed."""

    def __init__(self, *, renewal: bool = False) -> None:
        what = "Renewing a job" if renewal else "Publishing this job"
        super().__init__(
            f"{what} costs 1 credit and your company has none left. Buy credits, then "
            "publish it again: your job is kept as it is.",
            code="no_credits",
        )


def buy_url() -> str:
    """Where an employer tops up (their own company's credits page)."""
    return reverse("billing:credits")


@dataclass(frozen=True)
class Quote:
    """What sending a job for the site (or renewing it) will cost the company now."""

    cost: int
    balance: int
    free: bool = False
    """It takes the company's free first posting."""
    covered: bool = False
    """The job paid already (it was sent back after going live) and costs nothing more."""
    renewal: bool = False

    @property
    def affordable(self) -> bool:
        return self.cost <= self.balance

    @property
    def summary(self) -> str:
        if self.free:
            return "Free: your company's first posting."
        if self.covered:
            return "Nothing more: this job's posting is covered already."
        credits = "credit" if self.balance == 1 else "credits"
        if not self.affordable:
            return "1 credit, and your company has no credits left."
        return f"1 credit; your company has {self.balance} {credits}."


def balance(company: Company | int) -> int:
    company_id = company if isinstance(company, int) else company.pk
    return Movement.objects.for_company(company_id).balance()


def free_posting_used(company: Company | int) -> bool:
    company_id = company if isinstance(company, int) else company.pk
    return Movement.objects.for_company(company_id).filter(kind=Movement.Kind.FREE).exists()


def _covered(job: Job | None) -> bool:
    return (
        job is not None
        and job.pk is not None
        and Movement.objects.filter(job_id=job.pk).open_charges().exists()
    )


def quote_posting(*, company: Company, job: Job | None = None) -> Quote:
    """What sending ``job`` (or a new job, if None) for the site costs the company."""
    have = balance(company)
    if _covered(job):
        return Quote(cost=0, balance=have, covered=True)
    if not free_posting_used(company):
        return Quote(cost=0, balance=have, free=True)
    return Quote(cost=1, balance=have)


def quote_renewal(*, company: Company) -> Quote:
    return Quote(cost=1, balance=balance(company), renewal=True)


def _lock(company_id: int) -> None:
    # The company's row is the lock every spend of its credits queues on.
    Company.objects.select_for_update().filter(pk=company_id).values_list("pk").get()


def _spend(*, job: Job, by: User | None, renewal: bool, now: dt.datetime) -> Movement:
    if balance(job.company_id) < 1:
        raise NoCredits(renewal=renewal)
    return Movement.objects.create(
        company_id=job.company_id,
        kind=Movement.Kind.SPEND,
        credits=-1,
        job_id=job.pk,
        renewal=renewal,
        by=by,
        created_at=now,
    )


def charge_posting(*, job: Job, by: User | None, now: dt.datetime | None = None) -> Movement | None:
    """Pay for sending ``job`` for the site: the free first posting, or one credit.

    Call it inside the transaction that changes the job's status, so a refusal
    (:class:`NoCredits`) leaves the job as it was. None when the job paid already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock(job.company_id)
        if _covered(job):
            return None
        if not free_posting_used(job.company_id):
            return Movement.objects.create(
                company_id=job.company_id,
                kind=Movement.Kind.FREE,
                credits=0,
                job_id=job.pk,
                by=by,
                created_at=now,
            )
        return _spend(job=job, by=by, renewal=False, now=now)


def charge_renewal(*, job: Job, by: User | None, now: dt.datetime | None = None) -> Movement:
    """Pay one credit for another period of ``job``; :class:`NoCredits` if there is none."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(job.company_id)
        return _spend(job=job, by=by, renewal=True, now=now)


def refund_if_never_live(*, job: Job, now: dt.datetime | None = None) -> Movement | None:
    """Give back the credit of a job staff sent back before it was ever on the site.

    A job that was live (``posted_at`` set) used what it paid for; a free first posting
    has nothing to give back and stays the job's. Each spend is refunded at most once
    (a unique reference), so calling this twice gives back one credit.
    """
    if job.posted_at is not None:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        _lock(job.company_id)
        spend = (
            Movement.objects.filter(job_id=job.pk, kind=Movement.Kind.SPEND, refund__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if spend is None:
            return None
        return Movement.objects.create(
            company_id=job.company_id,
            kind=Movement.Kind.REFUND,
            credits=-spend.credits,
            job_id=job.pk,
            refund_of=spend,
            created_at=now,
        )


def grant(
    *, company: Company, credits: int, reason: str, by: User | None, now: dt.datetime | None = None
) -> Movement:
    """Staff give a company credits (a goodwill gesture, an invoice paid by bank)."""
    if credits < 1:
        raise ValidationError("Grant at least one credit.", code="credits")
    if not reason.strip():
        raise ValidationError("Say why the credits are granted.", code="reason")
    return Movement.objects.create(
        company=company,
        kind=Movement.Kind.GRANT,
        credits=credits,
        reason=reason.strip()[:200],
        by=by,
        created_at=now or timezone.now(),
    )
