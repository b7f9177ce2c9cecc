"""The candidate's side: applying in one form, "My applications", withdrawing."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.candidates.models import CandidateProfile
from mapertunity.candidates.resumes import ResumeError
from mapertunity.core.uploads import upload_too_large
from mapertunity.jobs.models import Job

from .. import actions
from ..forms import ApplyForm, MessageForm
from ..models import Application, ScreeningQuestion
from ..stages import NEXT_STEP_HINTS
from .access import get_application_for_candidate

DRAFT_KEY = "application_drafts"
"""Session key: what an anonymous visitor typed into an apply form, kept until they can send it."""


def apply(request: HttpRequest, job_id: int) -> HttpResponse:
    """Apply with the profile, a resume and an optional note, in one form.

    Someone not signed in (or without a finished profile) can fill the form first; what
    they typed waits in the session while they sign in or sign up, and the form comes back
    filled in. Only the file has to be chosen again.
    """
    job = get_object_or_404(Job.objects.select_related("company"), pk=job_id)
    if job.is_gone:
        return render(request, "applications/apply_closed.html", {"job": job}, status=410)
    if not job.is_live:
        # A draft was never public: its title and company are nobody else's business.
        raise Http404("No such job.")
    profile = None
    if request.user.is_authenticated:
        profile = CandidateProfile.objects.filter(user=request.user).select_related("user").first()
        already = (
            Application.objects.filter(job=job, candidate=profile).first() if profile else None
        )
        if already is not None:
            messages.info(request, "You have already applied to this job. Here is where it stands.")
            return redirect(already)
    ready = profile is not None and profile.is_complete
    questions = list(ScreeningQuestion.objects.filter(job=job))
    drafts = request.session.get(DRAFT_KEY, {})
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        questions=questions,
        has_profile_resume=bool(profile and hasattr(profile, "resume")),
        initial=drafts.get(str(job.pk), {}),
    )
    if request.method == "POST":
        if not ready:
            _keep_draft(request, job, form)
            return redirect(_signin_or_signup(request, job))
        assert profile is not None
        if upload_too_large(request):
            form.add_error("resume", "That file is larger than 5 MB. Please upload a smaller one.")
        elif form.is_valid():
            try:
                application = actions.apply(
                    job=job,
                    candidate=profile,
                    cover_note=form.cleaned_data["cover_note"],
                    answers=form.answers(),
                    resume=_resume_choice(form),
                )
            except (actions.ApplyError, ResumeError) as error:
                message = error.messages[0] if isinstance(error, actions.ApplyError) else str(error)
                field = "resume" if isinstance(error, ResumeError) else None
                form.add_error(field, message)
            else:
                drafts.pop(str(job.pk), None)
                request.session[DRAFT_KEY] = drafts
                messages.success(
                    request,
                    f"Your application to {job.company.name} is sent. You'll see every step here, "
                    "and we'll email you when anything changes.",
                )
                return redirect(application)
    context = {"job": job, "form": form, "ready": ready, "profile": profile}
    return render(request, "applications/apply.html", context)


def _resume_choice(form: ApplyForm) -> actions.ResumeChoice:
    choice = form.cleaned_data["resume_choice"]
    if choice == ApplyForm.RESUME_UPLOAD:
        return actions.ResumeChoice(upload=form.cleaned_data["resume"], use_profile=False)
    return actions.ResumeChoice(use_profile=choice == ApplyForm.RESUME_PROFILE)


def _keep_draft(request: HttpRequest, job: Job, form: ApplyForm) -> None:
    """Keep the typed values (never files) of this job's form, size-capped."""
    wanted = {"cover_note", "resume_choice", *(f"q{q.pk}" for q in form.questions)}
    draft = {k: str(v)[:4000] for k, v in request.POST.items() if k in wanted}
    drafts = request.session.get(DRAFT_KEY, {})
    drafts[str(job.pk)] = draft
    # A handful of jobs at most: this is a bridge over signing in, not a store.
    request.session[DRAFT_KEY] = dict(list(drafts.items())[-5:])


def _signin_or_signup(request: HttpRequest, job: Job) -> str:
    back = reverse("applications:apply", kwargs={"job_id": job.pk})
    if request.user.is_authenticated:
        messages.info(request, "Finish your profile and your application will be waiting.")
        return f"{reverse('candidates:signup')}?{urlencode({'next': back})}"
    return f"{reverse('applications:join')}?{urlencode({'next': back})}"


@require_safe
def join(request: HttpRequest) -> HttpResponse:
    """Sign in or create a profile to send an application; both lead back to the form."""
    back = request.GET.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("applications:mine")
    return render(request, "applications/join.html", {"next": back})


@require_safe
@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = (
        Application.objects.for_candidate(request.user)
        .select_related("job__company")
        .order_by("-updated_at")
    )
    return render(request, "applications/mine.html", {"applications": applications})


@login_required
def detail(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    application = get_application_for_candidate(request, application_id)
    conversation = getattr(application, "conversation", None)
    form = MessageForm()
    if conversation is not None:
        actions.mark_read(conversation=conversation, user=request.user)
    context = {
        "application": application,
        "events": application.events.select_related("actor"),
        "answers": application.answers.select_related("question"),
        "conversation": conversation,
        "chat": conversation.messages.select_related("sender") if conversation else [],
        "form": form,
        "hint": NEXT_STEP_HINTS.get(application.stage, ""),
    }
    return render(request, "applications/detail.html", context)


@require_POST
@login_required
def withdraw(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    application = get_application_for_candidate(request, application_id)
    try:
        actions.withdraw(application=application)
    except actions.PipelineError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, f"You withdrew your application to {application.job.company.name}."
        )
    return redirect(application)
