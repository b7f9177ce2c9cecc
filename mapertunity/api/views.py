"""The employer's API tokens page: make one (its secret is shown once), see them, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.companies.models import Company

from . import actions
from .forms import TokenForm
from .models import ApiToken


def _get_token_for_owner(request: AuthenticatedHttpRequest, token_id: int) -> ApiToken:
    """The token if it is this user's; 404 for anyone else."""
    return get_object_or_404(ApiToken.objects.for_user(request.user.pk), pk=token_id)


@never_cache
@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = Company.objects.for_user(request.user).order_by("pk").first()
    if company is None:
        return redirect("companies:create")
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = actions.create_token(
                user=request.user,
                company=company,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    context = {
        "company": company,
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.for_user(request.user.pk).select_related("company"),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = _get_token_for_owner(request, token_id)
    actions.revoke_token(token=token)
    messages.success(request, f"“{token.name}” is revoked: it no longer works.")
    return redirect("api_tokens:list")
