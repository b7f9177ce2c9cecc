"""Today's list, recording an interview and the people met, and its plan."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.applications.models import Application
from mapertunity.applications.stages import Stage

from .. import actions, drafts, ical, zones
from ..digest import day_for
from ..forms import PEOPLE_PREFIX, InterviewForm, NotesForm, StepForm, people_formset, people_rows
from ..models import Contact, Interview, Step
from .access import get_application_for_candidate, get_interview_for_owner

COMING_UP_DAYS = 14


@require_safe
@login_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    coach = actions.settings_for(request.user)
    day = day_for(coach, now=now)
    interviews = Interview.objects.for_user(request.user)
    recorded = interviews.exclude(application=None).values("application_id")
    to_record = (
        Application.objects.for_candidate(request.user)
        .filter(stage=Stage.INTERVIEWING)
        .exclude(pk__in=recorded)
        .select_related("job__company")
    )
    coming = (
        Step.objects.for_user(request.user)
        .coming(day.today, day.today + dt.timedelta(days=COMING_UP_DAYS))
        .select_related("interview", "interviewer__contact")
    )
    context = {
        "day": day,
        "coach": coach,
        "coming": coming,
        "upcoming": interviews.upcoming(now),
        "past": interviews.past(now)[:30],
        "to_record": to_record,
        "check_ins_soon": Contact.objects.for_user(request.user).filter(
            check_in_months__gt=0,
            next_check_in_on__gt=day.today,
            next_check_in_on__lte=day.today + dt.timedelta(days=COMING_UP_DAYS),
        ),
        "step_form": StepForm(),
        "coach_zone": coach.time_zone,
        "today": day.today,
        "now": now,
        "section": "today",
    }
    return render(request, "followup/today.html", context)


@login_required
def record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record an interview for a job found elsewhere: company and role by hand."""
    return _interview_form(request, application=None, interview=None)


@login_required
def record_for_application(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    """Record an interview from an application: company, role and decision date filled in."""
    application = get_application_for_candidate(request, application_id)
    return _interview_form(request, application=application, interview=None)


@login_required
def edit(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    interview = get_interview_for_owner(request, interview_id)
    return _interview_form(request, application=interview.application, interview=interview)


def _initial(request: AuthenticatedHttpRequest, application: Application | None) -> dict[str, Any]:
    coach = actions.settings_for(request.user)
    tz = coach.time_zone
    initial: dict[str, Any] = {"time_zone": tz, "duration_minutes": 60, "format": "video"}
    if application is not None:
        job = application.job
        initial.update(
            company_name=job.company.name,
            role=job.title,
            decision_expected_on=application.decision_expected_on,
            next_steps=application.next_step,
            format="onsite",
            location=", ".join(p for p in [job.street_address, job.city] if p),
            time_zone=zones.near(job.lat, job.lng, job.country) or tz,
        )
    return initial


def _interview_form(
    request: AuthenticatedHttpRequest,
    *,
    application: Application | None,
    interview: Interview | None,
) -> HttpResponse:
    outside = application is None
    prefix = PEOPLE_PREFIX
    if request.method == "POST" and "add_person" in request.POST:
        # Another row, without checking anything yet: all that was typed comes back.
        form = InterviewForm(initial=request.POST.dict(), outside_job=outside)
        rows = people_rows(request.POST)
        people = people_formset(extra=1)(initial=rows, prefix=prefix)
    elif request.method == "POST":
        form = InterviewForm(request.POST, outside_job=outside)
        people = people_formset(extra=0)(request.POST, prefix=prefix)
        if form.is_valid() and people.is_valid():
            try:
                saved = _save(request, form, people.people(), application, interview)
            except actions.FollowupError as error:
                form.add_error(None, error.messages[0])
            else:
                return redirect(saved)
    elif interview is not None:
        form = InterviewForm(initial=InterviewForm.initial_for(interview), outside_job=outside)
        rows = [
            {
                "interviewer_id": str(m.pk),
                "name": m.contact.name,
                "title": m.contact.title,
                "email": m.contact.email,
                "phone": m.contact.phone,
                "linkedin_url": m.contact.linkedin_url,
                "topics": m.topics,
            }
            for m in interview.interviewers.select_related("contact")
        ]
        people = people_formset(extra=1)(initial=rows, prefix=prefix)
    else:
        form = InterviewForm(initial=_initial(request, application), outside_job=outside)
        people = people_formset(extra=2)(prefix=prefix)
    earlier = (
        Interview.objects.for_user(request.user).filter(application=application)
        if application is not None and interview is None
        else Interview.objects.none()
    )
    context = {
        "form": form,
        "people": people,
        "application": application,
        "interview": interview,
        "earlier": earlier,
    }
    return render(request, "followup/interview_form.html", context)


def _save(
    request: AuthenticatedHttpRequest,
    form: InterviewForm,
    people: list[actions.Person],
    application: Application | None,
    interview: Interview | None,
) -> Interview:
    if interview is not None:
        facts = form.facts(strengths=interview.strengths)
        saved = actions.update_interview(interview=interview, facts=facts, people=people)
        messages.success(request, "Saved. The plan follows the new details.")
        return saved
    facts = form.facts()
    saved = actions.record_interview(
        owner=request.user, facts=facts, people=people, application=application
    )
    if not saved.strengths:
        suggested = drafts.suggest_strengths(request.user, drafts.job_text(saved))
        if suggested:
            actions.update_notes(
                interview=saved, to_say=saved.to_say, strengths=", ".join(suggested)
            )
    messages.success(
        request,
        "Interview recorded. Here is your plan"
        + (", with a draft for each person you met." if people else "."),
    )
    return saved


@require_safe
@login_required
def interview(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    found = get_interview_for_owner(request, interview_id)
    now = timezone.now()
    coach = actions.settings_for(request.user)
    steps = list(
        found.steps.select_related("interviewer__contact").prefetch_related("drafts__contact")
    )
    context = {
        "interview": found,
        "coach": coach,
        "today": coach.today(now),
        "started": found.has_started(now),
        "meetings": found.interviewers.select_related("contact"),
        "steps": steps,
        "open_count": sum(1 for s in steps if s.is_open and s.kind != Step.Kind.WRAP_UP),
        "notes_form": NotesForm(
            initial={"to_say": found.to_say, "strengths": found.strengths},
        ),
        "step_form": StepForm(),
        "other_zone": found.time_zone != coach.time_zone,
        "coach_zone": coach.time_zone,
    }
    return render(request, "followup/interview.html", context)


@require_POST
@login_required
def notes(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    found = get_interview_for_owner(request, interview_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        actions.update_notes(
            interview=found,
            to_say=form.cleaned_data["to_say"],
            strengths=form.cleaned_data["strengths"],
        )
        messages.success(request, "Saved. Drafts you haven't edited now include it.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(found.get_absolute_url() + "#notes")


@require_POST
@login_required
def replied(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    """The candidate heard back some other way (a call, their own inbox)."""
    found = get_interview_for_owner(request, interview_id)
    day = timezone.localtime(timezone.now(), actions.settings_for(request.user).tz)
    actions.heard_back(
        interview=found,
        note=f"You heard back from {found.company_name} on {day:%A} {day.day} {day:%B}.",
    )
    messages.success(
        request, "Good news travels: no follow-up to chase. The thank-yous stay, as they should."
    )
    return redirect(found)


@require_POST
@login_required
def delete(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    found = get_interview_for_owner(request, interview_id)
    actions.delete_interview(interview=found)
    messages.success(request, "Interview deleted. The people you met are still in your network.")
    return redirect("followup:today")


@require_safe
@login_required
def download(request: AuthenticatedHttpRequest, interview_id: UUID) -> HttpResponse:
    """The interview and its steps as one .ics file, with alarms, to import once."""
    found = get_interview_for_owner(request, interview_id)
    body = ical.interview_file(found, actions.settings_for(request.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(f"interview {found.company_name} {found.local_start:%Y-%m-%d}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
