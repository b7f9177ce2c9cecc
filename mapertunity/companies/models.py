from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mapertunity.core.domains import website_domain


def name_key(name: str) -> str:
    """A company name as compared for look-alikes: case, accents, spacing and punctuation
    ignored, "&" read as "and" ("Harbor & Pine, Inc." → "harborandpineinc")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.casefold().replace("&", "and"))[:120]


class CompanyQuerySet(models.QuerySet["Company"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> CompanyQuerySet:
        """Companies the user may post and manage jobs for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user_id=user.pk)

    def verified(self) -> CompanyQuerySet:
        """Companies that proved who they are: their website's domain, or staff approval."""
        return self.filter(Q(domain_verified_at__isnull=False) | Q(staff_verified_at__isnull=False))

    def named(self, name: str) -> CompanyQuerySet:
        """Companies whose name reads the same as ``name`` (see :func:`name_key`)."""
        key = name_key(name)
        return self.filter(name_key=key) if key else self.none()


class Company(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, help_text="Markdown is supported.")
    logo = models.ImageField(upload_to="logos/", blank=True)
    hq_city = models.CharField("headquarters city", max_length=120, blank=True)
    hq_region = models.CharField("headquarters region", max_length=120, blank=True)
    hq_country = models.CharField("headquarters country", max_length=2, blank=True)
    hq_lat = models.FloatField(null=True, blank=True)
    hq_lng = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The name as compared for look-alikes; set by save() (and fill_derived()).
    name_key = models.CharField(max_length=120, db_index=True, editable=False, default="")
    verified_domain = models.CharField(
        max_length=253,
        blank=True,
        help_text="The website domain the company proved with an email to an address there.",
    )
    domain_verified_at = models.DateTimeField(null=True, blank=True)
    staff_verified_at = models.DateTimeField(
        null=True, blank=True, help_text="Staff checked who this company is."
    )
    postings_approved_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When staff first approved one of its postings; later ones go live at "
        "once unless the scam screen holds them.",
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("jobs:list") + f"?company={self.slug}"

    def fill_derived(self) -> None:
        """Set the look-alike key; ``save()`` calls this, call it before ``bulk_create``."""
        self.name_key = name_key(self.name)

    @property
    def is_verified(self) -> bool:
        return self.domain_verified_at is not None or self.staff_verified_at is not None

    @property
    def verified_label(self) -> str:
        """What the badge says was checked; "" for a company that is not verified."""
        if self.domain_verified_at is not None and self.verified_domain:
            return f"Verified: {self.verified_domain}"
        return "Verified by staff" if self.staff_verified_at is not None else ""

    @property
    def website_domain(self) -> str:
        return website_domain(self.website)

    @property
    def is_new_employer(self) -> bool:
        """No posting of this company was approved yet: the next one goes to review."""
        return self.postings_approved_at is None

    def verify_domain(self, domain: str) -> None:
        self.verified_domain = domain
        self.domain_verified_at = timezone.now()
        self.save(update_fields=["verified_domain", "domain_verified_at"])

    @property
    def hq_label(self) -> str:
        return ", ".join(part for part in [self.hq_city, self.hq_region, self.hq_country] if part)

    def assign_unique_slug(self) -> None:
        base = slugify(self.name)[:120] or "company"
        slug, n = base, 2
        while Company.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        self.slug = slug


class Membership(models.Model):
    """A user who can post and manage jobs for a company."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="unique_company_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.company}"
