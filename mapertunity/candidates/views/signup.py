"""The five-step candidate signup.

Steps 1–2 live in the session until step 3 creates the account; after that every step is
read from and saved to the account and profile. Any step already reached can be revisited
(Back keeps what was entered), and /signup/ always resumes at the first unfinished step.
Typing is autosaved (htmx) so a step left half-filled comes back as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from mapertunity.accounts.handles import handle_taken, validate_handle_format
from mapertunity.core.uploads import upload_too_large

from .. import actions
from ..forms import AboutForm, ContactForm, HandleForm, NameForm, ResumeForm
from ..models import CandidateProfile
from ..resumes import ResumeError, check_resume

SESSION_KEY = "candidate_signup"
# Never kept in the session, even as an unfinished draft.
UNSAVED_FIELDS = {"csrfmiddlewaretoken", "password1", "password2", "resume", "_autosave"}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[forms.Form]


STEPS = [
    Step("name", "Your name", NameForm),
    Step("id", "Choose ID", HandleForm),
    Step("contact", "Contact info", ContactForm),
    Step("about", "About you", AboutForm),
    Step("resume", "Your resume", ResumeForm),
]
STEP_INDEX = {step.slug: i for i, step in enumerate(STEPS)}


class Wizard:
    """Where one visitor stands in the signup, and what they have entered so far."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = request.user if request.user.is_authenticated else None
        self.profile = (
            CandidateProfile.objects.filter(user=self.user).first() if self.user else None
        )
        self.state: dict[str, Any] = request.session.get(SESSION_KEY, {})

    def _save_state(self) -> None:
        self.request.session[SESSION_KEY] = self.state

    def is_done(self, slug: str) -> bool:
        user, profile = self.user, self.profile
        if slug == "name":
            return bool(user and user.first_name and user.last_name) or "name" in self.state
        if slug == "id":
            return bool(user and user.handle) or "id" in self.state
        if slug == "contact":
            return bool(profile and profile.home_lat is not None)
        if slug == "about":
            return bool(profile and profile.headline)
        return bool(profile and profile.is_complete)

    def first_open_step(self) -> Step:
        for step in STEPS:
            if not self.is_done(step.slug):
                return step
        return STEPS[-1]

    def can_open(self, slug: str) -> bool:
        return all(self.is_done(step.slug) for step in STEPS[: STEP_INDEX[slug]])

    def initial(self, slug: str) -> dict[str, Any]:
        saved = dict(self.state.get(slug, {}))
        user, profile = self.user, self.profile
        if slug == "name" and user:
            saved.setdefault("first_name", user.first_name)
            saved.setdefault("last_name", user.last_name)
        elif slug == "id" and user and user.handle:
            saved.setdefault("handle", user.handle)
        elif slug == "contact" and profile:
            saved.setdefault("phone", profile.phone)
            saved.setdefault("home", profile.home_label)
        elif slug == "about" and profile and profile.headline:
            saved.update(AboutForm.initial_for(profile))
        saved.update(self.state.get("drafts", {}).get(slug, {}))
        return saved

    def save_draft(self, slug: str, data: dict[str, Any]) -> None:
        self.state.setdefault("drafts", {})[slug] = {
            key: (values if len(values) > 1 else values[0])
            for key, values in data.lists()
            if key not in UNSAVED_FIELDS
        }
        self._save_state()

    def form(self, step: Step, data: Any = None, files: Any = None) -> forms.Form:
        kwargs: dict[str, Any] = {}
        if step.form_class in (HandleForm, ContactForm):
            kwargs["user"] = self.user
        if data is None:
            return step.form_class(initial=self.initial(step.slug), **kwargs)
        return step.form_class(data, files, **kwargs)

    def save(self, step: Step, form: forms.Form) -> None:
        data = form.cleaned_data
        self.state.get("drafts", {}).pop(step.slug, None)
        if step.slug in ("name", "id") and self.user is None:
            self.state[step.slug] = {k: v for k, v in data.items() if k not in UNSAVED_FIELDS}
        elif step.slug == "name":
            self.user.first_name, self.user.last_name = data["first_name"], data["last_name"]
            self.user.save(update_fields=["first_name", "last_name"])
        elif step.slug == "id":
            self.user.handle = data["handle"]
            self.user.save(update_fields=["handle"])
        elif step.slug == "contact" and self.user is None:
            self.user = actions.create_candidate_account(
                request=self.request,
                first_name=self.state["name"]["first_name"],
                last_name=self.state["name"]["last_name"],
                handle=self.state["id"]["handle"],
                email=data["email"],
                password=data["password1"],
                phone=data["phone"],
                home=data["home"],
            )
            self.state.pop("name", None)
            self.state.pop("id", None)
        elif step.slug == "contact":
            profile = self.profile or actions.ensure_profile(user=self.user)
            profile.phone = data["phone"]
            actions.set_home(profile=profile, place=data["home"])
            profile.save()
        elif step.slug == "about":
            actions.save_about(profile=self.profile, data=data)
        self._save_state()


def signup_start(request: HttpRequest) -> HttpResponse:
    """Resume at the first unfinished step (or the profile, when all are done)."""
    wizard = Wizard(request)
    if wizard.profile and wizard.profile.is_complete:
        return redirect("candidates:profile_edit")
    return redirect("candidates:signup_step", step=wizard.first_open_step().slug)


def signup_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_INDEX:
        raise Http404("No such step.")
    current = STEPS[STEP_INDEX[step]]
    wizard = Wizard(request)
    if not wizard.can_open(step):
        return redirect("candidates:signup_step", step=wizard.first_open_step().slug)
    if request.method == "POST" and request.POST.get("_autosave"):
        wizard.save_draft(step, request.POST)
        return HttpResponse(status=204)

    form = wizard.form(current)
    if request.method == "POST":
        if current.slug == "resume":
            return _resume_step(request, wizard, current)
        form = wizard.form(current, request.POST)
        if form.is_valid():
            try:
                wizard.save(current, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("candidates:signup_step", step=STEPS[STEP_INDEX[step] + 1].slug)
    return _render_step(request, wizard, current, form)


def _resume_step(request: HttpRequest, wizard: Wizard, step: Step) -> HttpResponse:
    form = wizard.form(step, request.POST, request.FILES)
    profile = wizard.profile
    if "skip" not in request.POST:
        if upload_too_large(request):
            form.add_error("resume", "That file is larger than 5 MB. Please upload a smaller one.")
        elif form.is_valid() and form.cleaned_data["resume"]:
            upload = form.cleaned_data["resume"]
            try:
                checked = check_resume(upload)
            except ResumeError as error:
                form.add_error("resume", str(error))
            else:
                actions.attach_resume(profile=profile, upload=upload, checked=checked)
        elif form.is_valid() and not hasattr(profile, "resume"):
            form.add_error("resume", "Choose a file to upload, or skip this step for now.")
        if form.errors:
            return _render_step(request, wizard, step, form, status=200)
    profile.finish()
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        "Your profile is ready. Confirm your email address with the link we sent, "
        "and employers can find you.",
    )
    return redirect(profile)


def _render_step(
    request: HttpRequest, wizard: Wizard, step: Step, form: forms.Form, status: int = 200
) -> HttpResponse:
    index = STEP_INDEX[step.slug]
    context = {
        "steps": [
            {
                "slug": s.slug,
                "title": s.title,
                "number": i + 1,
                "done": wizard.is_done(s.slug),
                "current": s.slug == step.slug,
                "reachable": wizard.can_open(s.slug),
            }
            for i, s in enumerate(STEPS)
        ],
        "step": step,
        "number": index + 1,
        "total": len(STEPS),
        "form": form,
        "back_url": reverse("candidates:signup_step", kwargs={"step": STEPS[index - 1].slug})
        if index
        else None,
        "has_resume": bool(wizard.profile and hasattr(wizard.profile, "resume")),
        "signed_in": wizard.user is not None,
    }
    return render(request, "candidates/signup_step.html", context, status=status)


@require_safe
def handle_check(request: HttpRequest) -> HttpResponse:
    """Live availability of a public ID, as the person types (an htmx fragment)."""
    handle = request.GET.get("handle", "").strip()
    ok, message = False, ""
    if handle:
        try:
            validate_handle_format(handle)
        except ValidationError as error:
            message = error.messages[0]
        else:
            user_id = request.user.pk if request.user.is_authenticated else None
            if handle_taken(handle, exclude_user_id=user_id):
                message = f"“{handle}” is taken. Please choose another."
            else:
                ok, message = True, f"“{handle}” is available."
    return render(request, "candidates/_handle_status.html", {"ok": ok, "message": message})
