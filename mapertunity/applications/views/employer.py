"""The employer's side: each job's applicants as a board or a list, and one applicant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.candidates.actions import record_resume_download
from mapertunity.candidates.models import ResumeDownload

from .. import actions, search
from ..forms import (
    NOT_SELECTED_TEMPLATE,
    ApplicantFilterForm,
    MessageForm,
    MoveForm,
    NoteForm,
    QuestionFormSet,
)
from ..models import Application, ApplicationQuerySet, ScreeningQuestion
from ..stages import EMPLOYER_MOVES, OPEN_STAGES, PIPELINE, Stage
from .access import get_application_for_employer, get_job_for_employer

CLOSED_STAGES = [s for s in Stage if s not in PIPELINE]


def _filtered(applications: ApplicationQuerySet, form: ApplicantFilterForm) -> ApplicationQuerySet:
    if not form.is_valid():
        return applications
    data = form.cleaned_data
    if data.get("stage") == "open":
        applications = applications.filter(stage__in=OPEN_STAGES)
    elif data.get("stage"):
        applications = applications.filter(stage=data["stage"])
    for skill in [slugify(s) for s in (data.get("skills") or "").split(",") if slugify(s)]:
        applications = applications.filter(candidate__skills__slug=skill)
    if data.get("q"):
        applications = search.matching(applications, data["q"])
    if data.get("answer"):
        question_id, value = data["answer"].split(":", 1)
        applications = applications.filter(
            answers__question_id=int(question_id), answers__value=value
        )
    return applications.distinct()


@require_safe
@login_required
def pipeline(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for_employer(request, job_id)
    questions = list(ScreeningQuestion.objects.filter(job=job))
    form = ApplicantFilterForm(request.GET or None, questions=questions)
    everyone = Application.objects.filter(job=job)
    counts: dict[str, int] = {str(row["stage"]): int(row["n"]) for row in _stage_counts(everyone)}
    shown = _filtered(everyone, form).select_related("candidate__user").order_by("created_at")
    shown_list = list(shown)
    columns = [
        {"stage": stage, "label": stage.label, "cards": [a for a in shown_list if a.stage == stage]}
        for stage in PIPELINE
    ]
    closed = [a for a in shown_list if a.stage not in PIPELINE]
    view = request.GET.get("view") or "board"
    context = {
        "job": job,
        "form": form,
        "columns": columns,
        "closed": closed,
        "applications": shown_list,
        "counts": counts,
        "total": sum(counts.values()),
        "view": "list" if view == "list" else "board",
        "moves": EMPLOYER_MOVES,
        "query": request.GET.urlencode(),
    }
    template = "applications/_pipeline.html" if request.htmx else "applications/pipeline.html"
    return render(request, template, context)


def _stage_counts(applications: ApplicationQuerySet) -> list[dict[str, Any]]:
    return list(applications.values("stage").annotate(n=Count("pk")).order_by())


@login_required
def detail(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    application = get_application_for_employer(request, application_id)
    conversation = getattr(application, "conversation", None)
    if conversation is not None:
        actions.mark_read(conversation=conversation, user=request.user)
    decline_text = NOT_SELECTED_TEMPLATE.format(
        job=application.job.title, company=application.job.company.name
    )
    context = {
        "application": application,
        "candidate": application.candidate,
        "events": application.events.select_related("actor"),
        "answers": application.answers.select_related("question"),
        "notes": application.notes.select_related("author"),
        "note_form": NoteForm(),
        "move_form": MoveForm(current=application.stage, initial={"note": decline_text}),
        "moves": [Stage(s) for s in EMPLOYER_MOVES.get(application.stage, ())],
        "conversation": conversation,
        "chat": conversation.messages.select_related("sender") if conversation else [],
        "message_form": MessageForm(),
    }
    return render(request, "applications/employer_detail.html", context)


@require_POST
@login_required
def move(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    """One click moves an applicant; from the board (htmx) the board comes back."""
    application = get_application_for_employer(request, application_id)
    form = MoveForm(request.POST, current=application.stage)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.move(
                application=application,
                to=data["to"],
                actor=request.user,
                note=data.get("note") or "",
                next_step=data.get("next_step") or None,
                decision_expected_on=data.get("decision_expected_on"),
            )
        except actions.PipelineError as error:
            messages.error(request, error.messages[0])
        else:
            name = application.candidate.user.display_name
            messages.success(
                request, f"{name} is now “{Stage(data['to']).label}”. We emailed them."
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    if request.POST.get("back") == "pipeline":
        # htmx follows the redirect with its headers, so the board comes back as a fragment.
        url = reverse("applications:pipeline", kwargs={"job_id": application.job_id})
        query = request.POST.get("query", "")
        return redirect(f"{url}?{query}" if query else url)
    return redirect(application.get_employer_url())


@require_POST
@login_required
def add_note(request: AuthenticatedHttpRequest, application_id: UUID) -> HttpResponse:
    application = get_application_for_employer(request, application_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_note(
            application=application, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, "Note saved. Only your team sees it.")
    else:
        messages.error(request, "Write something in the note first.")
    return redirect(application.get_employer_url() + "#notes")


@require_safe
@login_required
def resume(request: AuthenticatedHttpRequest, application_id: UUID) -> FileResponse:
    application = get_application_for_employer(request, application_id)
    if not application.resume_file:
        raise Http404("No resume was sent with this application.")
    record_resume_download(
        profile=application.candidate, by=request.user, via=ResumeDownload.Via.APPLICATION
    )
    response = FileResponse(
        application.resume_file.open("rb"),
        as_attachment=True,
        filename=application.resume_name or f"resume.{application.resume_kind}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def questions(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """The job's screening questions: short text, yes/no or a number, each maybe required."""
    job = get_job_for_employer(request, job_id)
    formset = QuestionFormSet(request.POST or None, instance=job, prefix="questions")
    if request.method == "POST" and formset.is_valid():
        for position, form in enumerate(formset.forms):
            if form.has_changed() or form.instance.pk:
                form.instance.position = position
        formset.save()
        messages.success(request, "Screening questions saved. New applicants will answer them.")
        return redirect("applications:pipeline", job_id=job.pk)
    return render(request, "applications/questions.html", {"job": job, "formset": formset})
