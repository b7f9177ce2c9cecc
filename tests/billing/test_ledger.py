"""The ledger: the balance is the sum of movements; the first posting per company is free;
later postings and renewals cost a credit; refunds follow the rule in billing.actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mapertunity.accounts.models import User
from mapertunity.billing import actions as billing
from mapertunity.billing.models import Movement
from mapertunity.companies.models import Membership
from mapertunity.jobs import actions
from mapertunity.jobs.models import Job
from mapertunity.moderation import actions as moderation
from tests.helpers import make_job, verify_email

from .helpers import draft, give, use_free_posting

pytestmark = pytest.mark.django_db


def test_the_balance_is_the_sum_of_grants_purchases_spends_and_refunds(company) -> None:
    assert billing.balance(company) == 0
    give(company, 3)
    give(company, 2)
    use_free_posting(company)
    job = draft(company)
    spend = billing.charge_posting(job=job, by=None)
    assert spend is not None and spend.credits == -1
    assert billing.balance(company) == 4
    job.refresh_from_db()
    billing.refund_if_never_live(job=job)
    assert billing.balance(company) == 5
    kinds = sorted(Movement.objects.values_list("kind", "credits"))
    assert kinds == [("free", 0), ("grant", 2), ("grant", 3), ("refund", 1), ("spend", -1)]


def test_another_companys_movements_never_count(company, other_employer) -> None:
    other = other_employer.memberships.get().company
    give(other, 7)
    assert billing.balance(company) == 0 and billing.balance(other) == 7


def test_a_grant_needs_a_positive_number_and_a_reason(company) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        billing.grant(company=company, credits=0, reason="x", by=None)
    with pytest.raises(ValidationError):
        billing.grant(company=company, credits=2, reason="  ", by=None)
    assert not Movement.objects.exists()


def test_the_database_refuses_a_second_free_posting_and_a_spend_of_the_wrong_sign(
    company,
) -> None:
    use_free_posting(company)
    with pytest.raises(IntegrityError), transaction.atomic():
        use_free_posting(company)
    with pytest.raises(IntegrityError), transaction.atomic():
        Movement.objects.create(
            company=company, kind=Movement.Kind.SPEND, credits=3, created_at=timezone.now()
        )


def test_the_first_posting_is_free_per_company_not_per_account(employer, company) -> None:
    colleague = User.objects.create_user("second@harbor.example.com", "correct-horse-battery")
    verify_email(colleague)
    Membership.objects.create(company=company, user=colleague)

    first = actions.submit(job=draft(company, employer), by=employer)
    assert first.status == Job.Status.PUBLISHED
    assert Movement.objects.get(job=first).kind == Movement.Kind.FREE

    second = draft(company, colleague)
    with pytest.raises(billing.NoCredits):
        actions.submit(job=second, by=colleague)
    second.refresh_from_db()
    assert second.status == Job.Status.DRAFT and not second.credit_movements.exists()

    give(company, 1)
    actions.submit(job=second, by=colleague)
    assert second.status == Job.Status.PUBLISHED
    assert billing.balance(company) == 0


def test_each_company_has_its_own_free_posting(employer, company, other_employer) -> None:
    other = other_employer.memberships.get().company
    actions.submit(job=draft(company, employer), by=employer)
    theirs = actions.submit(job=draft(other, other_employer), by=other_employer)
    assert theirs.status == Job.Status.PUBLISHED
    assert Movement.objects.filter(kind="free").count() == 2


def test_publishing_without_a_credit_leaves_the_job_a_draft_with_everything_kept(
    employer, company
) -> None:
    use_free_posting(company)
    job = draft(company, employer, title="Night Baker", description="Bake bread at night.")
    with pytest.raises(billing.NoCredits) as refused:
        actions.submit(job=job, by=employer)
    assert "costs 1 credit" in refused.value.messages[0]
    job.refresh_from_db()
    assert (job.status, job.title, job.description) == (
        "draft",
        "Night Baker",
        "Bake bread at night.",
    )
    assert job.posted_at is None


def test_a_renewal_spends_a_credit_and_adds_a_full_period(employer, company, settings) -> None:
    now = timezone.now()
    job = make_job(company, valid_through=now + dt.timedelta(days=2))
    with pytest.raises(billing.NoCredits):
        actions.renew(job=job, by=employer, now=now)
    job.refresh_from_db()
    assert job.valid_through < now + dt.timedelta(days=3)  # nothing changed
    give(company, 2)
    actions.renew(job=job, by=employer, now=now)
    job.refresh_from_db()
    assert job.valid_through >= now + dt.timedelta(days=2 + settings.JOB_VALID_DAYS - 1)
    spend = Movement.objects.get(kind="spend")
    assert spend.renewal and spend.job == job and billing.balance(company) == 1


def test_a_job_that_cannot_be_renewed_costs_nothing(employer, company) -> None:
    from django.core.exceptions import ValidationError

    give(company, 1)
    job = make_job(company, status=Job.Status.CLOSED)
    with pytest.raises(ValidationError):
        actions.renew(job=job, by=employer)
    assert billing.balance(company) == 1


def test_a_posting_sent_back_from_review_gets_its_credit_back_and_costs_again_when_resent(
    new_employer, staff
) -> None:
    company = new_employer.memberships.get().company
    use_free_posting(company)
    give(company, 1)
    job = actions.submit(job=draft(company, new_employer), by=new_employer)
    assert job.status == Job.Status.PENDING and billing.balance(company) == 0
    moderation.reject_job(job=job, by=staff, reason="Say the hours.")
    assert billing.balance(company) == 1
    assert billing.refund_if_never_live(job=job) is None  # each spend comes back once
    assert billing.balance(company) == 1
    job.refresh_from_db()
    assert billing.quote_posting(company=company, job=job).cost == 1
    actions.submit(job=job, by=new_employer)
    assert job.status == Job.Status.PENDING and billing.balance(company) == 0


def test_a_job_sent_back_after_it_was_live_keeps_its_charge_and_resending_is_free(
    employer, company, staff
) -> None:
    use_free_posting(company)
    give(company, 1)
    job = actions.submit(job=draft(company, employer), by=employer)
    assert job.is_live and billing.balance(company) == 0
    moderation.reject_job(job=job, by=staff, reason="Reported: the pay is wrong.")
    assert billing.balance(company) == 0
    job.refresh_from_db()
    quote = billing.quote_posting(company=company, job=job)
    assert quote.covered and quote.cost == 0
    actions.submit(job=job, by=employer)
    assert job.status == Job.Status.PENDING and billing.balance(company) == 0


def test_a_new_employers_free_first_posting_stays_free_when_sent_back_and_resent(
    new_employer, staff
) -> None:
    company = new_employer.memberships.get().company
    job = actions.submit(job=draft(company, new_employer), by=new_employer)
    assert job.status == Job.Status.PENDING
    assert billing.quote_posting(company=company).cost == 1  # the next one costs a credit
    moderation.reject_job(job=job, by=staff, reason="Add the pay period.")
    job.refresh_from_db()
    assert billing.quote_posting(company=company, job=job).free is False
    assert billing.quote_posting(company=company, job=job).cost == 0
    actions.submit(job=job, by=new_employer)
    assert job.status == Job.Status.PENDING
    moderation.approve_job(job=job, by=staff)
    job.refresh_from_db()
    assert job.is_live and billing.balance(company) == 0
    assert list(Movement.objects.values_list("kind", flat=True)) == ["free"]


def test_withdrawing_a_job_from_review_before_it_was_live_gives_the_credit_back(
    new_employer,
) -> None:
    company = new_employer.memberships.get().company
    use_free_posting(company)
    give(company, 1)
    job = actions.submit(job=draft(company, new_employer), by=new_employer)
    assert job.status == Job.Status.PENDING and billing.balance(company) == 0
    actions.close(job=job)
    assert billing.balance(company) == 1


def test_staff_publishing_directly_costs_nothing(company) -> None:
    job = draft(company)
    actions.publish(job=job)
    assert job.is_live and not Movement.objects.exists()


def test_quotes_say_what_the_next_posting_costs(company) -> None:
    assert billing.quote_posting(company=company).summary == "Free: your company's first posting."
    use_free_posting(company)
    quote = billing.quote_posting(company=company)
    assert (quote.cost, quote.affordable) == (1, False)
    assert "no credits" in quote.summary
    give(company, 3)
    assert billing.quote_posting(company=company).summary == "1 credit; your company has 3 credits."
