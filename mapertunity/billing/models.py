"""The credit ledger: every credit a company gets or uses is a row; the balance is their sum.

Nothing here holds a balance of its own: a counter can drift from what happened, a sum of
movements cannot. The ledger is append-only; a mistake is put right by a new movement
(a refund, a grant), never by editing an old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum


class MovementQuerySet(models.QuerySet["Movement"]):
    def for_company(self, company_id: int) -> MovementQuerySet:
        return self.filter(company_id=company_id)

    def balance(self) -> int:
        """The credits these movements add up to."""
        return int(self.aggregate(total=Sum("credits"))["total"] or 0)

    def open_charges(self) -> MovementQuerySet:
        """What a job went live (or to review) on and kept: its free posting, and spends
        not refunded."""
        return self.filter(
            Q(kind=Movement.Kind.FREE) | Q(kind=Movement.Kind.SPEND, refund__isnull=True)
        )


class Movement(models.Model):
    class Kind(models.TextChoices):
        FREE = "free", "Free first posting"
        GRANT = "grant", "Granted by staff"
        PURCHASE = "purchase", "Bought"
        SPEND = "spend", "Spent"
        REFUND = "refund", "Refunded"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="credit_movements"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    credits = models.IntegerField(help_text="Credits added (positive) or used (negative).")
    # String references: jobs calls into billing, so billing never imports jobs.
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credit_movements",
    )
    renewal = models.BooleanField(default=False, help_text="A spend on a renewal.")
    refund_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refund",
        help_text="The spend this refund gives back (each at most once).",
    )
    checkout = models.OneToOneField(
        "billing.Checkout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement",
        help_text="The paid Stripe Checkout this purchase fulfils (each at most once).",
    )
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it: the staff member granting, the employer posting.",
    )
    created_at = models.DateTimeField()

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="movement_company_new")]
        constraints = [
            # The first posting is free once per company, however many people post for it.
            models.UniqueConstraint(
                fields=["company"], condition=Q(kind="free"), name="one_free_posting_per_company"
            ),
            models.CheckConstraint(
                condition=(
                    (Q(kind="free") & Q(credits=0))
                    | (Q(kind="spend") & Q(credits__lt=0))
                    | (Q(kind__in=["grant", "purchase", "refund"]) & Q(credits__gt=0))
                ),
                name="movement_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="purchase") | Q(checkout__isnull=False),
                name="purchase_has_checkout",
            ),
            models.CheckConstraint(
                condition=~Q(kind="refund") | Q(refund_of__isnull=False),
                name="refund_names_its_spend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.credits:+d} for company {self.company_id}"

    @property
    def description(self) -> str:
        """One line for the employer's history."""
        title = self.job.title if self.job is not None else "a job since deleted"
        if self.kind == self.Kind.FREE:
            return f"Free first posting: {title}"
        if self.kind == self.Kind.SPEND:
            return f"{'Renewal' if self.renewal else 'Posting'}: {title}"
        if self.kind == self.Kind.REFUND:
            return f"Refund, never went live: {title}"
        if self.kind == self.Kind.PURCHASE:
            return f"Bought: {self.reason}" if self.reason else "Bought"
        return f"Granted: {self.reason}" if self.reason else "Granted by staff"


class Checkout(models.Model):
    """A Stripe Checkout Session we opened for a company's pack: what it is owed when paid.

    The webhook trusts this row (company, credits, price), not what the event says.
    """

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="checkouts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pack = models.CharField(max_length=40)
    credits = models.PositiveIntegerField()
    amount = models.PositiveIntegerField(help_text="Price in minor units of the currency.")
    currency = models.CharField(max_length=3)
    stripe_session_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.credits} credits for company {self.company_id} ({self.stripe_session_id})"


class StripeEvent(models.Model):
    """Every signed Stripe event we acted on, once: a replay or a retry finds its id here."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    session_id = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
