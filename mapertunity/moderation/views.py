"""Reporting a job: a short form for any signed-in visitor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.jobs.models import Job

from . import actions
from .forms import JobReportForm


def _get_job_to_report(job_id: int) -> Job:
    """A job anyone can see; 404 for any other (nothing to report on a page nobody sees)."""
    return get_object_or_404(Job.objects.published().select_related("company"), pk=job_id)


@login_required
def report_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_to_report(job_id)
    form = JobReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_job(
                job=job,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except actions.ReportError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                "Thank you. Our staff will look at this job; if others report it too, it "
                "comes off the site until they have.",
            )
        return redirect(job if job.is_live else "jobs:list")
    return render(request, "moderation/report_job.html", {"job": job, "form": form})
