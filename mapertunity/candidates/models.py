from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mapertunity.companies.access import is_verified_employer
from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.geo.privacy import public_point


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_STORAGE_ROOT, read from settings on every use (so a test's or a
    deployment's folder is honoured whenever it is set), with no URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    """Resumes live outside MEDIA_ROOT and have no URL: only a checked view serves them.

    A callable, so migrations record this function rather than a machine's path.
    """
    return PrivateStorage()


class Skill(models.Model):
    """A skill as someone spelled it. Spellings of one skill ("SQL", "sql") share the slug,
    which is what searches match on, so each person keeps their own capitalisation (it
    goes into their emails) and is still found by everyone else's."""

    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


_CONFIRMED = Q(user__emailaddress__verified=True, user__emailaddress__primary=True)
"""The person's primary email address is confirmed."""


class CandidateQuerySet(models.QuerySet["CandidateProfile"]):
    def complete(self) -> CandidateQuerySet:
        return self.filter(completed_at__isnull=False)

    def confirmed(self) -> CandidateQuerySet:
        """Finished profiles whose owner confirmed their primary email address."""
        return self.filter(_CONFIRMED, completed_at__isnull=False).distinct()

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> CandidateQuerySet:
        """Profiles this user may see: their own, and finished, confirmed ones they may see."""
        levels = [CandidateProfile.Visibility.PUBLIC]
        if is_verified_employer(user):
            levels.append(CandidateProfile.Visibility.EMPLOYERS)
        shown = _CONFIRMED & Q(completed_at__isnull=False, visibility__in=levels)
        if user.is_authenticated:
            shown |= Q(user_id=user.pk)
        return self.filter(shown).distinct()

    def on_candidate_map(self) -> CandidateQuerySet:
        """Who employers may find on the map: visible to employers and open to work."""
        return self.confirmed().filter(
            open_to_work=True,
            visibility__in=[
                CandidateProfile.Visibility.EMPLOYERS,
                CandidateProfile.Visibility.PUBLIC,
            ],
            public_lat__isnull=False,
        )

    def in_bbox(self, west: float, south: float, east: float, north: float) -> CandidateQuerySet:
        """Candidates whose public point is in the box (west > east crosses the antimeridian).

        Only ever the public point: where someone lives must not decide what an employer sees.
        """
        lng = Q(public_lng__gte=west, public_lng__lte=east)
        if west > east:
            lng = Q(public_lng__gte=west) | Q(public_lng__lte=east)
        return self.filter(lng, public_lat__gte=south, public_lat__lte=north)


class CandidateProfile(models.Model):
    class Visibility(models.TextChoices):
        HIDDEN = "hidden", "Hidden: only you"
        EMPLOYERS = "employers", "Verified employers"
        PUBLIC = "public", "Everyone"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate"
    )
    phone = models.CharField(max_length=30, blank=True)

    # The exact home place: used for distance matching only, never shown to anyone else.
    home_label = models.CharField(max_length=200, blank=True)
    home_lat = models.FloatField(null=True, blank=True)
    home_lng = models.FloatField(null=True, blank=True)
    home_city = models.CharField(max_length=120, blank=True)
    home_country = models.CharField(max_length=2, blank=True)
    # What others see: a grid cell's or the city's centre, computed once from the home.
    public_lat = models.FloatField(null=True, blank=True, editable=False)
    public_lng = models.FloatField(null=True, blank=True, editable=False)
    public_key = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    public_label = models.CharField(max_length=200, blank=True, editable=False)

    headline = models.CharField(max_length=120, blank=True)
    summary = models.TextField(blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="candidates")
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    desired_roles = models.CharField(max_length=300, blank=True)
    desired_pay_min = models.BigIntegerField(null=True, blank=True)
    desired_pay_max = models.BigIntegerField(null=True, blank=True)
    desired_currency = models.CharField(max_length=3, default="USD")
    desired_period = models.CharField(
        max_length=5, choices=PayPeriod.choices, default=PayPeriod.YEAR
    )
    employment_types = models.JSONField(default=list, blank=True)
    workplaces = models.JSONField(default=list, blank=True)
    commute_km = models.PositiveSmallIntegerField(null=True, blank=True)
    open_to_relocation = models.BooleanField(default=False)

    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EMPLOYERS
    )
    open_to_work = models.BooleanField(default=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_pay_min__isnull=True)
                | Q(desired_pay_max__isnull=True)
                | Q(desired_pay_max__gte=models.F("desired_pay_min")),
                name="candidate_pay_range_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.user.handle or 'no ID yet'})"

    def get_absolute_url(self) -> str:
        return reverse("candidates:profile", kwargs={"handle": self.user.handle})

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def set_home(self, *, label: str, lat: float, lng: float, city: str, country: str) -> None:
        """Store the exact home and compute, once, the public point others will see."""
        self.home_label, self.home_lat, self.home_lng = label, lat, lng
        self.home_city, self.home_country = city, country
        point = public_point(lat, lng)
        self.public_lat, self.public_lng, self.public_key = point.lat, point.lng, point.key
        self.public_label = ", ".join(part for part in [point.city or city, country] if part)

    def finish(self) -> None:
        if self.completed_at is None:
            self.completed_at = timezone.now()
            self.save(update_fields=["completed_at", "updated_at"])

    @property
    def workplaces_display(self) -> list[str]:
        labels = dict(Workplace.choices)
        return [labels[w] for w in self.workplaces if w in labels]

    @property
    def employment_types_display(self) -> list[str]:
        labels = dict(EmploymentType.choices)
        return [labels[t] for t in self.employment_types if t in labels]


def resume_path(instance: Resume, filename: str) -> str:
    # The stored name is random: the person's file name is kept only as metadata.
    return f"resumes/{instance.id.hex}.{instance.kind}"


class Resume(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.OneToOneField(
        CandidateProfile, on_delete=models.CASCADE, related_name="resume"
    )
    file = models.FileField(storage=private_storage, upload_to=resume_path, max_length=200)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    text = models.TextField(blank=True, help_text="Extracted for search; at most 1 MB.")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("candidates:resume_download", kwargs={"resume_id": self.id})

    @property
    def content_type(self) -> str:
        if self.kind == self.Kind.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ResumeDownload(models.Model):
    """Someone other than the candidate downloaded their resume: shown to the candidate
    (who, for which company, when), kept even if the resume is replaced."""

    class Via(models.TextChoices):
        PROFILE = "profile", "From your profile"
        APPLICATION = "application", "From your application"

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="resume_downloads"
    )
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Names as they were, so the record still reads right if a name changes or goes.
    downloader_name = models.CharField(max_length=200)
    company_name = models.CharField(max_length=120, blank=True)
    via = models.CharField(max_length=12, choices=Via.choices, default=Via.PROFILE)
    downloaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.downloader_name} at {self.downloaded_at:%Y-%m-%d %H:%M}"
