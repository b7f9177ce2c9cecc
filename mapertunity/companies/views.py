"""Employers' company pages: the "Post a job" entry point, setting up and editing a company."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import User

from .actions import create_company, update_company
from .forms import CompanyForm
from .models import Company


def _get_company(user: User) -> Company | None:
    return Company.objects.for_user(user).order_by("pk").first()


def start(request: HttpRequest) -> HttpResponse:
    """The "Post a job" entry point: sign up, then create the company, then post."""
    if not request.user.is_authenticated:
        signup = reverse("account_signup")
        return redirect(f"{signup}?{urlencode({'next': reverse('companies:start')})}")
    if Company.objects.for_user(request.user).exists():
        return redirect("employers:job_create")
    return redirect("companies:create")


@login_required
def company_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _get_company(request.user) is not None:
        return redirect("employers:dashboard")
    form = CompanyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        company = create_company(owner=request.user, **form.values())
        messages.success(request, f"{company.name} is set up. Now post your first job: it's free.")
        return redirect("employers:job_create")
    return render(request, "companies/company_form.html", {"form": form, "creating": True})


@login_required
def company_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = _get_company(request.user)
    if company is None:
        return redirect("companies:create")
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        update_company(company=company, **form.values())
        messages.success(request, "Company details saved.")
        return redirect("employers:dashboard")
    return render(request, "companies/company_form.html", {"form": form, "creating": False})
