"""The five-step candidate signup's pages; the steps themselves live in ``signup.py``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from mapertunity.accounts.handles import handle_taken, not_available, validate_handle_format
from mapertunity.core.ratelimit import allow
from mapertunity.core.uploads import upload_too_large

from ..resumes import ResumeError
from ..signup import STEP_BY_SLUG, STEPS, ResumeStep, Step, Wizard


def _safe_next(request: HttpRequest) -> str:
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def signup_start(request: HttpRequest) -> HttpResponse:
    """Resume at the first unfinished step (or the profile, when all are done).

    ``?next=`` is remembered, so someone who signs up to apply lands back on the form.
    """
    wizard = Wizard(request)
    if next_url := _safe_next(request):
        wizard.remember_next(next_url)
    if wizard.profile and wizard.profile.is_complete:
        return redirect(wizard.next_url or "candidates:profile_edit")
    if wizard.pending_address:
        return redirect("candidates:signup_sent")
    return redirect("candidates:signup_step", step=wizard.first_open_step().slug)


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    """The "check your inbox" page after step 3: the same whether the address was new or
    already had an account (accounts/signup.py), since the email says which."""
    wizard = Wizard(request)
    if not wizard.pending_address:
        return redirect("candidates:signup")
    return render(request, "candidates/signup_sent.html", {"email": wizard.pending_address})


def signup_step(request: HttpRequest, step: str) -> HttpResponse:
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404("No such step.")
    wizard = Wizard(request)
    if not wizard.can_open(current):
        return redirect("candidates:signup_step", step=wizard.first_open_step().slug)
    if request.method == "POST" and request.POST.get("_autosave"):
        return _autosave(request, wizard, current)

    form = wizard.form(current)
    if request.method == "POST":
        if isinstance(current, ResumeStep):
            return _resume_step(request, wizard, current)
        form = wizard.form(current, request.POST)
        if form.is_valid():
            try:
                wizard.save(current, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if wizard.pending_address:
                    return redirect("candidates:signup_sent")
                following = STEPS[STEPS.index(current) + 1]
                return redirect("candidates:signup_step", step=following.slug)
    return _render_step(request, wizard, current, form)


def _autosave(request: HttpRequest, wizard: Wizard, step: Step) -> HttpResponse:
    """Keep a draft of what was typed. Anonymous visitors are limited per session and per
    address, so nobody can fill the session table by posting in a loop."""
    if wizard.user is None:
        if request.session.session_key is None:
            request.session.save()
        per_session = settings.SIGNUP_AUTOSAVES_PER_HOUR
        limits = [
            ("signup-autosave", str(request.session.session_key), per_session),
            # Many people can share an address (an office, a phone network): more room.
            ("signup-autosave-ip", request.META.get("REMOTE_ADDR", ""), per_session * 10),
        ]
        if not all(allow(s, who, limit=n, window_seconds=3600) for s, who, n in limits):
            return HttpResponse(status=429, headers={"Retry-After": "3600"})
    wizard.save_draft(step, request.POST)
    return HttpResponse(status=204)


def _resume_step(request: HttpRequest, wizard: Wizard, step: ResumeStep) -> HttpResponse:
    form = wizard.form(step, request.POST, request.FILES)
    profile = wizard.profile
    assert profile is not None  # the contact step made it
    data = {}
    if "skip" not in request.POST:
        if upload_too_large(request):
            form.add_error("resume", "That file is larger than 5 MB. Please upload a smaller one.")
        elif form.is_valid() and form.cleaned_data["resume"]:
            data = form.cleaned_data
        elif form.is_valid() and not hasattr(profile, "resume"):
            form.add_error("resume", "Choose a file to upload, or skip this step for now.")
    if not form.errors:
        try:
            wizard.save(step, data)
        except ResumeError as error:
            form.add_error("resume", str(error))
    if form.errors:
        return _render_step(request, wizard, step, form)
    next_url = wizard.next_url
    wizard.forget()
    if profile.user.has_verified_email:
        messages.success(request, "Your profile is ready, and employers can find you.")
    else:
        messages.success(
            request,
            "Your profile is ready. Confirm your email address with the link we sent, "
            "and employers can find you.",
        )
    return redirect(next_url or profile)


def _render_step(request: HttpRequest, wizard: Wizard, step: Step, form: object) -> HttpResponse:
    index = STEPS.index(step)
    context = {
        "steps": [
            {
                "slug": s.slug,
                "title": s.title,
                "number": i + 1,
                "done": s.done(wizard),
                "current": s is step,
                "reachable": wizard.can_open(s),
            }
            for i, s in enumerate(STEPS)
        ],
        "step": step,
        "number": index + 1,
        "total": len(STEPS),
        "form": form,
        "back_url": (
            reverse("candidates:signup_step", kwargs={"step": STEPS[index - 1].slug})
            if index
            else None
        ),
        "has_resume": bool(wizard.profile and hasattr(wizard.profile, "resume")),
        "signed_in": wizard.user is not None,
    }
    return render(request, "candidates/signup_step.html", context)


@require_safe
def handle_check(request: HttpRequest) -> HttpResponse:
    """Live availability of a public ID, as the person types (an htmx fragment).

    Limited per IP address, so the check can't be used to list which IDs exist."""
    handle = request.GET.get("handle", "").strip()
    ok, message = False, ""
    if handle and not allow(
        "handle-check",
        request.META.get("REMOTE_ADDR", ""),
        limit=settings.HANDLE_CHECKS_PER_HOUR,
        window_seconds=3600,
    ):
        message = "Too many checks from your network. Try again in an hour."
        response = render(request, "candidates/_handle_status.html", {"ok": ok, "message": message})
        response.status_code = 429
        response["Retry-After"] = "3600"
        return response
    if handle:
        try:
            validate_handle_format(handle)
        except ValidationError as error:
            message = error.messages[0]
        else:
            user_id = request.user.pk if request.user.is_authenticated else None
            if handle_taken(handle, exclude_user_id=user_id):
                message = not_available(handle)
            else:
                ok, message = True, f"“{handle}” is available."
    return render(request, "candidates/_handle_status.html", {"ok": ok, "message": message})
