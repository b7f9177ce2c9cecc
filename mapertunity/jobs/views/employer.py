"""Employers: create the company, post, edit, publish and close jobs."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mapertunity.companies.actions import create_company
from mapertunity.companies.forms import CompanyForm
from mapertunity.companies.models import Company

from ..forms import JobForm
from ..models import Job


def _get_company(request: HttpRequest) -> Company | None:
    return Company.objects.for_user(request.user).order_by("pk").first()


def _get_job_for_employer(request: HttpRequest, job_id: int) -> Job:
    """The job if the user is a member of its company; 404 for anyone else."""
    return get_object_or_404(Job.objects.for_employer(request.user), pk=job_id)


def start(request: HttpRequest) -> HttpResponse:
    """The "Post a job" entry point: sign up, then create the company, then post."""
    if not request.user.is_authenticated:
        signup = reverse("account_signup")
        return redirect(f"{signup}?{urlencode({'next': reverse('employers:start')})}")
    if _get_company(request) is None:
        return redirect("employers:company_create")
    return redirect("employers:job_create")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    company = _get_company(request)
    if company is None:
        return redirect("employers:company_create")
    jobs = Job.objects.for_employer(request.user).select_related("company").order_by("-created_at")
    return render(request, "employers/dashboard.html", {"company": company, "jobs": jobs})


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    if _get_company(request) is not None:
        return redirect("employers:dashboard")
    form = CompanyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        company = create_company(owner=request.user, form=form)
        messages.success(request, f"{company.name} is set up. Now post your first job: it's free.")
        return redirect("employers:job_create")
    return render(request, "employers/company_form.html", {"form": form, "creating": True})


@login_required
def company_edit(request: HttpRequest) -> HttpResponse:
    company = _get_company(request)
    if company is None:
        return redirect("employers:company_create")
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Company details saved.")
        return redirect("employers:dashboard")
    return render(request, "employers/company_form.html", {"form": form, "creating": False})


@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    company = _get_company(request)
    if company is None:
        messages.info(request, "First, tell job seekers about your company.")
        return redirect("employers:company_create")
    form = JobForm(request.POST or None, instance=Job(company=company, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        job = form.save()
        if "publish" in request.POST:
            job.publish()
            messages.success(request, "Your job is live on the map.")
            return redirect(job)
        messages.success(request, "Draft saved. Publish it from your dashboard when ready.")
        return redirect("employers:dashboard")
    return render(request, "employers/job_form.html", {"form": form, "company": company})


@login_required
def job_edit(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        job = form.save()
        messages.success(request, "Changes saved.")
        return redirect(job if job.is_live else "employers:dashboard")
    return render(request, "employers/job_form.html", {"form": form, "company": job.company})


def _change_status(request: HttpRequest, job_id: int, *, close: bool) -> HttpResponse:
    job = _get_job_for_employer(request, job_id)
    try:
        if close:
            job.close()
        else:
            job.publish()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        where = "closed and off the map" if close else "live on the map"
        messages.success(request, f"“{job.title}” is {where}.")
    return redirect("employers:dashboard")


@login_required
@require_POST
def job_publish(request: HttpRequest, job_id: int) -> HttpResponse:
    return _change_status(request, job_id, close=False)


@login_required
@require_POST
def job_close(request: HttpRequest, job_id: int) -> HttpResponse:
    return _change_status(request, job_id, close=True)
