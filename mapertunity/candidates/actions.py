"""Candidate workflows: account creation at signup, profile details, resumes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from mapertunity.accounts.models import User
from mapertunity.accounts.signup import sign_up
from mapertunity.companies.models import Company
from mapertunity.core.money import to_minor
from mapertunity.geo.gazetteer import Place

from .models import CandidateProfile, Resume, ResumeDownload, Skill
from .resumes import CheckedResume, check_resume


def set_name(*, user: User, first_name: str, last_name: str) -> None:
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])


def set_handle(*, user: User, handle: str) -> None:
    previous, user.handle = user.handle, handle
    try:
        with transaction.atomic():
            user.save(update_fields=["handle"])
    except IntegrityError as error:
        user.handle = previous
        raise ValidationError("That ID was just taken. Please choose another.") from error


def save_contact(*, profile: CandidateProfile, phone: str, home: Place) -> None:
    """Step 3 for someone already signed in (also the profile page's contact form)."""
    profile.phone = phone
    set_home(profile=profile, place=home)
    profile.save()


def set_home(*, profile: CandidateProfile, place: Place) -> None:
    profile.set_home(
        label=place.label,
        lat=place.lat,
        lng=place.lng,
        city=place.name,
        country=place.country_code,
    )


def sign_up_candidate(
    *,
    request: HttpRequest,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    phone: str,
    home: Place,
    redirect_url: str,
) -> User | None:
    """Step 3 of the signup for someone new: the account and its profile, made the way
    every account is (accounts/signup.py), which sends the confirmation.

    Returns the account when it is signed in at once (confirmation optional). None while
    the address waits to be confirmed, and also when it already had an account: then
    nothing is made and its owner is emailed, and the caller must answer both alike.
    Confirming the address in this browser signs the person in and leads to
    ``redirect_url``."""

    def create() -> User:
        user = User.objects.create_user(email, password, first_name=first_name, last_name=last_name)
        profile = CandidateProfile(user=user, phone=phone)
        set_home(profile=profile, place=home)
        profile.save()
        return user

    sign_up(
        request=request, email=email, password=password, redirect_url=redirect_url, create=create
    )
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def ensure_profile(*, user: User) -> CandidateProfile:
    profile, _ = CandidateProfile.objects.get_or_create(user=user)
    return profile


def save_about(*, profile: CandidateProfile, data: dict[str, Any]) -> None:
    """Store step 4 (also the profile page's "About you" form)."""
    currency = data["desired_currency"]
    low, high = data.get("desired_pay_min"), data.get("desired_pay_max")
    profile.headline = data["headline"]
    profile.summary = data.get("summary", "")
    profile.years_experience = data.get("years_experience")
    profile.desired_roles = data.get("desired_roles", "")
    profile.desired_pay_min = to_minor(low, currency) if low is not None else None
    profile.desired_pay_max = to_minor(high, currency) if high is not None else None
    profile.desired_currency = currency
    profile.desired_period = data["desired_period"]
    profile.employment_types = list(data.get("employment_types") or [])
    profile.workplaces = list(data.get("workplaces") or [])
    profile.commute_km = data.get("commute_km")
    profile.open_to_relocation = bool(data.get("open_to_relocation"))
    with transaction.atomic():
        profile.save()
        profile.skills.set(_skills(data.get("skills") or []))


def _skills(names: list[str]) -> list[Skill]:
    skills = []
    for name in names:
        skill, _ = Skill.objects.get_or_create(name=name, defaults={"slug": slugify(name)[:50]})
        skills.append(skill)
    return skills


def upload_resume(*, profile: CandidateProfile, upload: UploadedFile) -> Resume:
    """Check an uploaded file and keep it as the profile's resume (signup and profile).

    Raises ResumeError, with a message for the person, when the file is refused.
    """
    checked = check_resume(upload)
    return attach_resume(profile=profile, upload=upload, checked=checked)


def attach_resume(*, profile: CandidateProfile, upload: Any, checked: CheckedResume) -> Resume:
    """Keep a checked upload as the profile's resume, replacing (and deleting) any old one."""
    remove_resume(profile=profile)
    resume = Resume(
        profile=profile,
        kind=checked.kind,
        original_name=(upload.name or f"resume.{checked.kind}")[-200:],
        size=upload.size,
        text=checked.text,
    )
    resume.file.save(f"{resume.id.hex}.{checked.kind}", upload, save=False)
    resume.save()
    return resume


def remove_resume(*, profile: CandidateProfile) -> None:
    resume = Resume.objects.filter(profile=profile).first()
    if resume is not None:
        resume.file.delete(save=False)
        resume.delete()


def record_resume_download(
    *, profile: CandidateProfile, by: User, via: str, now: dt.datetime | None = None
) -> ResumeDownload:
    """Log a download of the candidate's resume by someone else, for the candidate to see."""
    company = (
        Company.objects.for_user(by)
        .order_by(F("domain_verified_at").desc(nulls_last=True), "pk")
        .first()
    )
    return ResumeDownload.objects.create(
        profile=profile,
        downloaded_by=by,
        company=company,
        downloader_name=by.display_name[:200],
        company_name=company.name if company else "",
        via=via,
        downloaded_at=now or timezone.now(),
    )
