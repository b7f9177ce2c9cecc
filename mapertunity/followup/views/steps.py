"""A step ticked off, skipped or moved, and the drafts for the email steps."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mapertunity.accounts.http import AuthenticatedHttpRequest

from .. import actions, drafts
from ..forms import DraftForm, StepForm
from ..models import Draft
from .access import get_draft_for_owner, get_step_for_owner


@require_POST
@login_required
def step(request: AuthenticatedHttpRequest, step_id: UUID) -> HttpResponse:
    """Done, skip, undo or a new date; from htmx the step's row comes back alone."""
    found = get_step_for_owner(request, step_id)
    form = StepForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            due_on = form.cleaned_data.get("due_on")
            if "move" in request.POST and due_on and due_on != found.due_on:
                actions.reschedule_step(step=found, due_on=due_on)
            elif "move" not in request.POST and form.cleaned_data.get("state"):
                actions.set_step_state(step=found, state=form.cleaned_data["state"])
        except actions.FollowupError as problem:
            error = problem.messages[0]
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        found.refresh_from_db()
        coach = actions.settings_for(request.user)
        context = {
            "step": found,
            "interview": found.interview,
            "today": coach.today(),
            "coach_zone": coach.time_zone,
            "step_error": error,
            "step_form": StepForm(),
            "with_interview": request.POST.get("context") == "today",
        }
        return render(request, "followup/_step.html", context)
    if error:
        messages.error(request, error)
    back = request.POST.get("back", "")
    if back == "today":
        return redirect("followup:today")
    return redirect(found.interview.get_absolute_url() + f"#step-{found.pk}")


def _mailto(draft: Draft, to: str, subject: str, body: str) -> str:
    return f"mailto:{quote(to)}?subject={quote(subject)}&body={quote(body)}"


@login_required
def draft(request: AuthenticatedHttpRequest, draft_id: UUID) -> HttpResponse:
    """Read, edit, check and send one email. Nothing leaves without pressing Send."""
    found = get_draft_for_owner(request, draft_id)
    interview = found.step.interview
    coach = actions.settings_for(request.user)
    if found.sent_at is None and not found.edited:
        # Not touched by hand yet: written again from today's facts ("today", "yesterday").
        written = drafts.write(found.step, found.contact, time_zone=coach.time_zone)
        found.subject, found.body = written.subject, written.body
    initial = {
        "to": found.sent_to or found.contact.email,
        "subject": found.subject,
        "body": found.body,
    }
    form = DraftForm(request.POST or None, initial=initial)
    warnings: list[str] = []
    confirm = False
    if request.method == "POST" and found.sent_at is None:
        intent = request.POST.get("intent", "save")
        if intent == "reset":
            actions.reset_draft(draft=found)
            messages.success(request, "Back to the draft written from your notes.")
            return redirect(found)
        if form.is_valid():
            data = form.cleaned_data
            warnings = drafts.check(
                subject=data["subject"], body=data["body"], name=found.contact.name
            )
            if intent in ("send", "send_anyway") and (not warnings or intent == "send_anyway"):
                try:
                    actions.send_draft(
                        draft=found, to=data["to"], subject=data["subject"], body=data["body"]
                    )
                except actions.FollowupError as error:
                    form.add_error("to" if error.code == "to" else None, error.messages[0])
                else:
                    messages.success(
                        request,
                        f"Sent to {found.contact.name}, with a copy to you. Replies come "
                        "straight to your inbox.",
                    )
                    return redirect(interview.get_absolute_url() + f"#step-{found.step_id}")
            else:
                actions.save_draft(draft=found, subject=data["subject"], body=data["body"])
                if intent in ("send", "send_anyway"):
                    confirm = True  # the checks found something: ask before sending
                elif not warnings:
                    messages.success(request, "Draft saved. It looks ready to send.")
                    return redirect(found)
    elif request.method == "GET":
        warnings = drafts.check(subject=found.subject, body=found.body, name=found.contact.name)
    values = form.data if form.is_bound else initial
    context = {
        "draft": found,
        "interview": interview,
        "step": found.step,
        "form": form,
        "warnings": warnings,
        "confirm": confirm,
        "words": drafts.word_count(str(values.get("body", ""))),
        "max_words": drafts.MAX_WORDS,
        "mailto": _mailto(
            found,
            str(values.get("to", "")),
            str(values.get("subject", "")),
            str(values.get("body", "")),
        ),
        "others": Draft.objects.filter(step=found.step)
        .exclude(pk=found.pk)
        .select_related("contact"),
        "coach_zone": coach.time_zone,
    }
    return render(request, "followup/draft.html", context)
