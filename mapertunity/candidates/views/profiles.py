"""Public profiles, the owner's profile settings, and resume downloads."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import User
from mapertunity.companies.access import is_verified_employer
from mapertunity.core.uploads import upload_too_large

from .. import actions
from ..forms import AboutForm, ContactForm, ResumeForm, VisibilityForm
from ..jsonresume import json_resume
from ..models import CandidateProfile, Resume, ResumeDownload
from ..pace import may_download_resume, may_open_profile
from ..resumes import ResumeError


def _slow_down(request: HttpRequest, what: str, limit: int) -> HttpResponse:
    """429: this account opened as many as a person reads in an hour."""
    context = {"what": what, "limit": limit}
    response = render(request, "candidates/slow_down.html", context, status=429)
    response["Retry-After"] = "3600"
    return response


def _get_profile_for_viewer(request: HttpRequest, handle: str) -> CandidateProfile:
    """The profile if this viewer may see it; 404 for anyone else (no hint it exists)."""
    return get_object_or_404(
        CandidateProfile.objects.visible_to(request.user).select_related("user"),
        user__handle__iexact=handle,
    )


def _get_resume_for_viewer(request: HttpRequest, resume_id: UUID) -> Resume:
    """A resume for its owner, or for a verified employer when the profile allows it."""
    resume = get_object_or_404(Resume.objects.select_related("profile__user"), pk=resume_id)
    profile = resume.profile
    if profile.user_id == request.user.pk:
        return resume
    allowed = CandidateProfile.objects.visible_to(request.user).filter(
        pk=profile.pk,
        visibility__in=[CandidateProfile.Visibility.EMPLOYERS, CandidateProfile.Visibility.PUBLIC],
    )
    if is_verified_employer(request.user) and allowed.exists():
        return resume
    raise Http404("No such resume.")


@require_safe
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    candidate = _get_profile_for_viewer(request, handle)
    if candidate.user.handle != handle:
        return redirect(candidate, permanent=True)
    is_owner = candidate.user_id == request.user.pk
    if (
        not is_owner
        and candidate.visibility == CandidateProfile.Visibility.EMPLOYERS
        and isinstance(request.user, User)
        and not may_open_profile(request.user, candidate)
    ):
        return _slow_down(request, "profiles", settings.CANDIDATE_PROFILES_PER_HOUR)
    resume = Resume.objects.filter(profile=candidate).first()
    can_see_resume = resume is not None and (
        is_owner
        or (
            is_verified_employer(request.user)
            and candidate.visibility != CandidateProfile.Visibility.HIDDEN
        )
    )
    context = {
        "candidate": candidate,
        "is_owner": is_owner,
        "resume": resume if can_see_resume else None,
        "email_verified": candidate.user.has_verified_email if is_owner else True,
        "can_message": not is_owner and is_verified_employer(request.user),
    }
    return render(request, "candidates/profile.html", context)


@login_required
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner's settings: visibility, about, contact, resume; each form saves alone."""
    candidate = CandidateProfile.objects.filter(user=request.user).first()
    if candidate is None or not request.user.handle:
        return redirect("candidates:signup")
    which = request.POST.get("form") if request.method == "POST" else None
    forms = {
        "visibility": VisibilityForm(
            request.POST if which == "visibility" else None, instance=candidate
        ),
        "about": AboutForm(
            request.POST if which == "about" else None,
            initial=AboutForm.initial_for(candidate),
        ),
        "contact": ContactForm(
            request.POST if which == "contact" else None,
            user=request.user,
            initial={"phone": candidate.phone, "home": candidate.home_label},
        ),
        "resume": ResumeForm(
            request.POST if which == "resume" else None,
            request.FILES if which == "resume" else None,
        ),
    }
    if which in forms and _save_settings(request, candidate, which, forms[which]):
        return redirect("candidates:profile_edit")
    context = {
        "candidate": candidate,
        "forms": forms,
        "resume": Resume.objects.filter(profile=candidate).first(),
        "email_verified": request.user.has_verified_email,
        "downloads": ResumeDownload.objects.filter(profile=candidate)[:50],
    }
    return render(request, "candidates/profile_edit.html", context)


def _save_settings(
    request: AuthenticatedHttpRequest, candidate: CandidateProfile, which: str, form: BaseForm
) -> bool:
    if which == "resume":
        if upload_too_large(request):
            form.add_error("resume", "That file is larger than 5 MB. Please upload a smaller one.")
            return False
        if not form.is_valid() or not form.cleaned_data["resume"]:
            if not form.errors:
                form.add_error("resume", "Choose a PDF or Word file to upload.")
            return False
        try:
            actions.upload_resume(profile=candidate, upload=form.cleaned_data["resume"])
        except ResumeError as error:
            form.add_error("resume", str(error))
            return False
        messages.success(request, "Resume uploaded.")
        return True
    if not form.is_valid():
        return False
    if isinstance(form, VisibilityForm):
        form.save()
    elif which == "about":
        actions.save_about(profile=candidate, data=form.cleaned_data)
    elif which == "contact":
        actions.save_contact(
            profile=candidate, phone=form.cleaned_data["phone"], home=form.cleaned_data["home"]
        )
    messages.success(request, "Saved.")
    return True


@login_required
@require_POST
def resume_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    candidate = get_object_or_404(CandidateProfile, user=request.user)
    actions.remove_resume(profile=candidate)
    messages.success(request, "Your resume was deleted.")
    return redirect("candidates:profile_edit")


@login_required
@require_safe
def resume_download(
    request: AuthenticatedHttpRequest, resume_id: UUID
) -> FileResponse | HttpResponse:
    resume = _get_resume_for_viewer(request, resume_id)
    if resume.profile.user_id != request.user.pk:
        if not may_download_resume(request.user):
            return _slow_down(request, "resumes", settings.RESUME_DOWNLOADS_PER_HOUR)
        actions.record_resume_download(
            profile=resume.profile, by=request.user, via=ResumeDownload.Via.PROFILE
        )
    response = FileResponse(
        resume.file.open("rb"),
        as_attachment=True,
        filename=resume.original_name,
        content_type=resume.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def resume_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner's profile as a JSON Resume file, to take to another site."""
    candidate = get_object_or_404(
        CandidateProfile.objects.select_related("user"), user=request.user
    )
    response = JsonResponse(json_resume(candidate), json_dumps_params={"indent": 2})
    name = request.user.handle or "resume"
    response["Content-Disposition"] = f'attachment; filename="{name}.resume.json"'
    return response
