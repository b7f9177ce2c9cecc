"""The five-step candidate signup, as step objects: each knows when it is done, what its
form starts with, and how to save it. Adding a step means adding one class here.

Steps 1–2 live in the session until the person is signed in. Step 3 makes the account,
which is signed in once its address is confirmed (the link leads back here); only then do
the name and ID move onto it (:meth:`Wizard.adopt_session_steps`), and every later step is
read from and saved to the account and profile. Typing is autosaved as a draft (only the
step's own fields, size-capped) so a step left half-filled comes back as it was.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from mapertunity.accounts.models import User

from . import actions
from .forms import AboutForm, ContactForm, HandleForm, NameForm, ResumeForm
from .models import CandidateProfile

SESSION_KEY = "candidate_signup"
# Never kept in the session, even as an unfinished draft.
SECRET_FIELDS = frozenset({"password1", "password2"})
MAX_DRAFT_VALUE = 3000
"""Characters kept per autosaved value: the longest field (the summary) allows 3,000."""
MAX_DRAFT_VALUES = 40
"""Values kept per list field (skills are typed as text; checkbox lists are short)."""


class Wizard:
    """Where one visitor stands in the signup, and what they have entered so far."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.session: SessionBase = request.session
        self.user: User | None = request.user if request.user.is_authenticated else None
        self.profile = (
            CandidateProfile.objects.filter(user=self.user).first() if self.user else None
        )
        self.state: dict[str, Any] = self.session.get(SESSION_KEY, {})
        if self.user is not None:
            self.adopt_session_steps()

    def save_state(self) -> None:
        self.session[SESSION_KEY] = self.state

    def forget(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def adopt_session_steps(self) -> None:
        """Give the signed-in account the name and ID typed before it was signed in.

        This is the first signup page after confirming the address (or signing in), so it
        writes on a GET: only what the person typed, only onto their own account. The name
        typed last wins; an ID is set only where the account has none, since it is a public
        address. It is claimed here rather than at step 3 because a new sign-up whose ID
        was taken at once would tell anyone checking that ID that its address had no
        account (accounts/signup.py)."""
        assert self.user is not None
        names = self.state.pop("name", None)
        wanted = self.state.pop("id", None)
        sent_to = self.state.pop("sent_to", None)
        if names is None and wanted is None and sent_to is None:
            return
        if names:
            actions.set_name(user=self.user, **names)
        if wanted and not self.user.handle:
            try:
                actions.set_handle(user=self.user, handle=wanted["handle"])
            except ValidationError:
                self.state.setdefault("drafts", {})["id"] = wanted
                messages.warning(
                    self.request,
                    f"Someone took the ID “{wanted['handle']}” in the meantime. "
                    "Please choose another.",
                )
        self.save_state()

    @property
    def pending_address(self) -> str:
        """The address step 3 sent a link to, while nobody is signed in ("" otherwise)."""
        return "" if self.user else str(self.state.get("sent_to", ""))

    @property
    def next_url(self) -> str:
        """Where to go when the profile is finished (e.g. back to a job's apply form)."""
        return str(self.state.get("next", ""))

    def remember_next(self, url: str) -> None:
        self.state["next"] = url
        self.save_state()

    def first_open_step(self) -> Step:
        for step in STEPS:
            if not step.done(self):
                return step
        return STEPS[-1]

    def can_open(self, step: Step) -> bool:
        return all(earlier.done(self) for earlier in STEPS[: STEPS.index(step)])

    def draft(self, step: Step) -> dict[str, Any]:
        return dict(self.state.get("drafts", {}).get(step.slug, {}))

    def save_draft(self, step: Step, data: QueryDict) -> None:
        """Keep what was typed so far: only the step's own fields, each capped in size."""
        allowed = set(step.form_class.base_fields) - SECRET_FIELDS
        draft: dict[str, Any] = {}
        for key in allowed:
            values = [v[:MAX_DRAFT_VALUE] for v in data.getlist(key)[:MAX_DRAFT_VALUES]]
            if values:
                draft[key] = values if len(values) > 1 else values[0]
        self.state.setdefault("drafts", {})[step.slug] = draft
        self.save_state()

    def form(self, step: Step, data: Any = None, files: Any = None) -> forms.Form:
        kwargs = step.form_kwargs(self)
        if data is None:
            return step.form_class(initial={**step.initial(self), **self.draft(step)}, **kwargs)
        return step.form_class(data, files, **kwargs)

    def save(self, step: Step, data: dict[str, Any]) -> None:
        self.state.get("drafts", {}).pop(step.slug, None)
        step.save(self, data)
        self.save_state()


class Step:
    slug: ClassVar[str]
    title: ClassVar[str]
    lede: ClassVar[str]
    form_class: ClassVar[type[forms.Form]]

    def done(self, wizard: Wizard) -> bool:
        raise NotImplementedError

    def initial(self, wizard: Wizard) -> dict[str, Any]:
        return {}

    def form_kwargs(self, wizard: Wizard) -> dict[str, Any]:
        return {}

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        raise NotImplementedError


class NameStep(Step):
    slug, title, form_class = "name", "Your name", NameForm
    lede = "Employers see your name on your profile. Let's start there."

    def done(self, wizard: Wizard) -> bool:
        user = wizard.user
        return bool(user and user.first_name and user.last_name) or "name" in wizard.state

    def initial(self, wizard: Wizard) -> dict[str, Any]:
        if wizard.user:
            return {"first_name": wizard.user.first_name, "last_name": wizard.user.last_name}
        return dict(wizard.state.get("name", {}))

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        names = {"first_name": data["first_name"], "last_name": data["last_name"]}
        if wizard.user is None:
            wizard.state["name"] = names
        else:
            actions.set_name(user=wizard.user, **names)


class HandleStep(Step):
    slug, title, form_class = "id", "Choose ID", HandleForm
    lede = "Your ID is your profile's address. Choose one you'd put on a resume."

    def done(self, wizard: Wizard) -> bool:
        return bool(wizard.user and wizard.user.handle) or "id" in wizard.state

    def initial(self, wizard: Wizard) -> dict[str, Any]:
        if wizard.user and wizard.user.handle:
            return {"handle": wizard.user.handle}
        return dict(wizard.state.get("id", {}))

    def form_kwargs(self, wizard: Wizard) -> dict[str, Any]:
        return {"user": wizard.user}

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        if wizard.user is None:
            wizard.state["id"] = {"handle": data["handle"]}
        else:
            actions.set_handle(user=wizard.user, handle=data["handle"])


class ContactStep(Step):
    slug, title, form_class = "contact", "Contact info", ContactForm
    lede = "How employers reach you, and roughly where you are."

    def done(self, wizard: Wizard) -> bool:
        return bool(wizard.profile and wizard.profile.home_lat is not None)

    def initial(self, wizard: Wizard) -> dict[str, Any]:
        if wizard.profile:
            return {"phone": wizard.profile.phone, "home": wizard.profile.home_label}
        return {}

    def form_kwargs(self, wizard: Wizard) -> dict[str, Any]:
        return {"user": wizard.user}

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        """For someone new: make the account and send the link, keeping what was typed (no
        passwords) in the session for the way back. A registered address gets the same
        answer, and the same session, so nothing here tells the two apart."""
        if wizard.user is None:
            wizard.user = actions.sign_up_candidate(
                request=wizard.request,
                first_name=wizard.state["name"]["first_name"],
                last_name=wizard.state["name"]["last_name"],
                email=data["email"],
                password=data["password1"],
                phone=data["phone"],
                home=data["home"],
                redirect_url=reverse("candidates:signup"),
            )
            wizard.state["sent_to"] = data["email"]
            wizard.save_draft(self, wizard.request.POST)
            if wizard.user is None:
                return
            wizard.adopt_session_steps()
        else:
            profile = wizard.profile or actions.ensure_profile(user=wizard.user)
            actions.save_contact(profile=profile, phone=data["phone"], home=data["home"])
        wizard.profile = CandidateProfile.objects.get(user=wizard.user)


class AboutStep(Step):
    slug, title, form_class = "about", "About you", AboutForm
    lede = "What you do and what you're looking for. Employers search on this."

    def done(self, wizard: Wizard) -> bool:
        return bool(wizard.profile and wizard.profile.headline)

    def initial(self, wizard: Wizard) -> dict[str, Any]:
        if wizard.profile and wizard.profile.headline:
            return AboutForm.initial_for(wizard.profile)
        return {}

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        assert wizard.profile is not None  # the contact step made it
        actions.save_about(profile=wizard.profile, data=data)


class ResumeStep(Step):
    slug, title, form_class = "resume", "Your resume", ResumeForm
    lede = "Add a resume now, or skip and add it later from your profile."

    def done(self, wizard: Wizard) -> bool:
        return bool(wizard.profile and wizard.profile.is_complete)

    def save(self, wizard: Wizard, data: dict[str, Any]) -> None:
        assert wizard.profile is not None
        if data.get("resume"):
            actions.upload_resume(profile=wizard.profile, upload=data["resume"])
        wizard.profile.finish()


STEPS: list[Step] = [NameStep(), HandleStep(), ContactStep(), AboutStep(), ResumeStep()]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
