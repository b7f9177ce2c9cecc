from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class CompanyQuerySet(models.QuerySet["Company"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> CompanyQuerySet:
        """Companies the user may post and manage jobs for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user_id=user.pk)


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

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("jobs:list") + f"?company={self.slug}"

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
