"""Employers' job pages: the dashboard, posting, editing, submitting, renewing, closing and
deleting drafts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import User
from mapertunity.billing import actions as billing
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
    context = {
        "company": company,
        "jobs": jobs,
        "email_confirmed": request.user.has_verified_email,
        "credits": billing.balance(company),
        "quote": billing.quote_posting(company=company),
    }
    return render(request, "jobs/employer/dashboard.html", context)


def _said_after_submit(request: HttpRequest, job: Job) -> None:
    if job.status == Job.Status.PENDING:
        messages.info(
            request,
            f"“{job.title}” is waiting for a quick review by our staff before it goes on the "
            "map; we'll email you when it's done, usually within a working day.",
        )
    else:
        messages.success(request, f"“{job.title}” is live on the map.")


def _no_credits(request: HttpRequest, error: billing.NoCredits) -> None:
    messages.error(
        request,
        format_html('{} <a href="{}">Buy credits</a>.', error.messages[0], billing.buy_url()),
    )


def _submit(request: AuthenticatedHttpRequest, job: Job) -> bool:
    """Submit the job and say what happened; False if it was refused."""
    try:
        actions.submit(job=job, by=request.user)
    except billing.NoCredits as error:
        _no_credits(request, error)
        return False
    except actions.EmailNotConfirmed as error:
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">Send the confirmation link again</a>.',
                error.messages[0],
                reverse("account_email"),
            ),
        )
        return False
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return False
    _said_after_submit(request, job)
    return True


@login_required
def job_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = _get_company(request.user)
    if company is None:
        messages.info(request, "First, tell job seekers about your company.")
        return redirect("companies:create")
    form = JobForm(request.POST or None, instance=Job(company=company, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.post_job(company=company, author=request.user, details=form.details())
        except actions.RepostRefused as error:
            form.add_error(None, error)
        else:
            if "publish" not in request.POST:
                messages.success(request, "Draft saved. Publish it from your jobs page when ready.")
                return redirect("employers:dashboard")
            if _submit(request, job) and job.is_live:
                return redirect(job)
            return redirect("employers:dashboard")
    context = {"form": form, "company": company, "quote": billing.quote_posting(company=company)}
    return render(request, "jobs/employer/job_form.html", context)


@login_required
def job_edit(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        # The form has already copied its values onto `job`; start again from the row so
        # a refused edit leaves nothing half-applied.
        saved = Job.objects.select_related("company").get(pk=job.pk)
        was_live = saved.is_live
        try:
            saved = actions.update_job(job=saved, details=form.details())
        except actions.PlaceChangeLimit as error:
            form.add_error("place", error)
        else:
            if was_live and not saved.is_live:
                messages.info(
                    request,
                    "Changes saved. Our staff will look at them before the job is back on the map.",
                )
            elif "publish" in request.POST and saved.status in {
                Job.Status.DRAFT,
                Job.Status.REJECTED,
            }:
                _submit(request, saved)
            else:
                messages.success(request, "Changes saved.")
            return redirect(saved if saved.is_live else "employers:dashboard")
    context = {
        "form": form,
        "company": job.company,
        "quote": billing.quote_posting(company=job.company, job=job),
    }
    return render(request, "jobs/employer/job_form.html", context)


@login_required
@require_POST
def job_publish(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Submit a draft, or a job staff sent back, to go live (or to review)."""
    _submit(request, _get_job_for_employer(request, job_id))
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_close(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        actions.close(job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{job.title}” is closed and off the map.")
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_delete(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        job.delete_draft()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Deleted the draft “{job.title}”.")
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_renew(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        actions.renew(job=job, by=request.user)
    except billing.NoCredits as error:
        _no_credits(request, error)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{job.title}” is open until {job.valid_through:%d %B %Y}.")
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_still_open(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        actions.confirm_open(job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Thanks: “{job.title}” shows it was confirmed open today.")
    return redirect("employers:dashboard")


def job_renew_link(request: HttpRequest, token: str) -> HttpResponse:
    """The renew link in an expiry notice: one button (a POST), because mail scanners
    open links by themselves; the signed link itself is the permission."""
    job = actions.read_renew_token(token)
    if job is None:
        return render(request, "jobs/employer/renew_link.html", {"invalid": True}, status=400)
    renewed = False
    if request.method == "POST":
        try:
            actions.renew(job=job)
        except ValidationError as error:
            context = {
                "job": job,
                "error": error.messages[0],
                "buy_url": billing.buy_url() if isinstance(error, billing.NoCredits) else "",
            }
            return render(request, "jobs/employer/renew_link.html", context, status=409)
        renewed = True
    context = {
        "job": job,
        "renewed": renewed,
        "valid_days": settings.JOB_VALID_DAYS,
        "quote": billing.quote_renewal(company=job.company),
    }
    return render(request, "jobs/employer/renew_link.html", context)
