"""Employers' company pages: the "Post a job" entry point, setting up and editing a company,
and proving its website's domain."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import User
from mapertunity.core.domains import is_webmail, same_organisation

from . import actions
from .forms import CompanyForm, DomainCheckForm
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
        try:
            company = actions.create_company(owner=request.user, **form.values())
        except actions.CompanyNameTaken as error:
            form.add_error("name", error)
        else:
            messages.success(
                request, f"{company.name} is set up. Now post your first job: it's free."
            )
            return redirect("employers:job_create")
    return render(request, "companies/company_form.html", {"form": form, "creating": True})


@login_required
def company_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = _get_company(request.user)
    if company is None:
        return redirect("companies:create")
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        saved = Company.objects.get(pk=company.pk)
        try:
            actions.update_company(company=saved, by=request.user, **form.values())
        except actions.CompanyNameTaken as error:
            form.add_error("name", error)
        else:
            messages.success(request, "Company details saved.")
            return redirect("employers:dashboard")
    return render(request, "companies/company_form.html", {"form": form, "creating": False})


def _account_address_at(user: User, domain: str) -> str:
    """The member's own confirmed address at ``domain``, if any (verifies in one press)."""
    for email in user.emailaddress_set.filter(verified=True).values_list("email", flat=True):
        if same_organisation(email.rpartition("@")[2], domain):
            return str(email)
    return ""


@login_required
def verify_domain(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Prove the company's website: a link to an address at its domain, or at once from
    a work address the member already confirmed."""
    company = _get_company(request.user)
    if company is None:
        return redirect("companies:create")
    domain = company.website_domain
    form = DomainCheckForm(request.POST or None, domain=domain)
    if request.method == "POST" and "use_account" in request.POST:
        if actions.verify_with_account(company=company, user=request.user):
            messages.success(request, f"{company.name} is verified: {company.verified_domain}.")
            return redirect("employers:dashboard")
        messages.error(request, "None of your confirmed addresses is at your website's domain.")
    elif request.method == "POST" and form.is_valid():
        try:
            actions.request_domain_check(company=company, email=form.cleaned_data["email"])
        except actions.DomainCheckError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"We sent a link to {form.cleaned_data['email']}. Open it and press the "
                "button to verify your company.",
            )
            return redirect("companies:verify_domain")
    context = {
        "company": company,
        "form": form,
        "domain": domain,
        "webmail": bool(domain) and is_webmail(domain),
        "account_address": _account_address_at(request.user, domain) if domain else "",
    }
    return render(request, "companies/verify_domain.html", context)


def verify_domain_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the check email: a page with one button, because mail scanners open
    links by themselves; pressing it (POST) verifies the domain."""
    found = actions.read_domain_check_token(token)
    if found is None:
        return render(request, "companies/verify_domain_done.html", {"invalid": True}, status=400)
    company, email = found
    if request.method == "POST":
        try:
            actions.confirm_domain(company=company, email=email)
        except actions.DomainCheckError as error:
            context = {"invalid": True, "error": error.messages[0]}
            return render(request, "companies/verify_domain_done.html", context, status=400)
        return render(request, "companies/verify_domain_done.html", {"company": company})
    context = {"company": company, "email": email, "confirming": True}
    return render(request, "companies/verify_domain_done.html", context)
