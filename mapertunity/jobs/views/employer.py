"""Employers' job pages: the dashboard, posting, editing, publishing and closing jobs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import User
from mapertunity.companies.models import Company

from .. import actions
from ..forms import JobForm
from ..models import Job


def _get_company(user: User) -> Company | None:
    return Company.objects.for_user(user).order_by("pk").first()


def _get_job_for_employer(request: HttpRequest, job_id: int) -> Job:
    """The job if the user is a member of its company; 404 for anyone else."""
    return get_object_or_404(
        Job.objects.for_employer(request.user).select_related("company"), pk=job_id
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = _get_company(request.user)
    if company is None:
        return redirect("companies:create")
    jobs = (
        Job.objects.for_employer(request.user)
        .select_related("company")
        .annotate(applicant_count=Count("applications", distinct=True))
        .order_by("-created_at")
    )
    return render(request, "jobs/employer/dashboard.html", {"company": company, "jobs": jobs})


@login_required
def job_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = _get_company(request.user)
    if company is None:
        messages.info(request, "First, tell job seekers about your company.")
        return redirect("companies:create")
    form = JobForm(request.POST or None, instance=Job(company=company, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        job = actions.post_job(
            company=company, author=request.user, details=form.details(), publish=publish
        )
        if publish:
            messages.success(request, "Your job is live on the map.")
            return redirect(job)
        messages.success(request, "Draft saved. Publish it from your dashboard when ready.")
        return redirect("employers:dashboard")
    context = {"form": form, "company": company}
    return render(request, "jobs/employer/job_form.html", context)


@login_required
def job_edit(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        # The form has already copied its values onto `job`; start again from the row so
        # a refused edit leaves nothing half-applied.
        saved = Job.objects.get(pk=job.pk)
        try:
            saved = actions.update_job(job=saved, details=form.details())
        except actions.PlaceChangeLimit as error:
            form.add_error("place", error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(saved if saved.is_live else "employers:dashboard")
    context = {"form": form, "company": job.company}
    return render(request, "jobs/employer/job_form.html", context)


def _change_status(request: AuthenticatedHttpRequest, job_id: int, *, close: bool) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        if close:
            actions.close(job=job)
        else:
            actions.publish(job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        where = "closed and off the map" if close else "live on the map"
        messages.success(request, f"“{job.title}” is {where}.")
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_publish(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    return _change_status(request, job_id, close=False)


@login_required
@require_POST
def job_close(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    return _change_status(request, job_id, close=True)
