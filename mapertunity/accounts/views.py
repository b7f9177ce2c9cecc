"""One-click unsubscribe from a kind of notification email; the account settings page."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .http import AuthenticatedHttpRequest
from .notifications import TRANSACTIONAL, Kind, opt_out, read_unsubscribe_token


@csrf_exempt  # mail apps POST the one-click request (RFC 8058) with no session or token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (mail scanners follow links); POST unsubscribes."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = found
    done = request.method == "POST"
    if done:
        opt_out(user=user, kind=kind)
    context = {
        "kind_label": Kind(kind).label,
        "done": done,
        "transactional": kind in TRANSACTIONAL,
        "email": user.email,
    }
    return render(request, "accounts/unsubscribe.html", context)


@login_required
@require_safe
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Email, password and two-factor sign-in, in one place."""
    return render(request, "accounts/settings.html", {"mfa_enabled": is_mfa_enabled(request.user)})
