"""Sign-in protections around allauth: the failed-login throttle's 429 page and two-factor
sign-in required of staff before the admin opens.

The counting itself is allauth's ``login_failed`` rate limit (``ACCOUNT_RATE_LIMITS`` in
settings: per IP address and per account, in Django's cache, so shared between servers
when ``CACHES`` points at Redis or Memcached). allauth answers the refused attempt with a
form error and a 200; here it becomes a 429 with a page that says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

THROTTLED_ATTR = "_mapertunity_login_throttled"


def mark_login_throttled(request: HttpRequest) -> None:
    setattr(request, THROTTLED_ATTR, True)


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """The page for a sign-in refused by the throttle."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    response = render(
        request,
        "429.html",
        {
            "heading": "Too many failed sign-in attempts",
            "reason": (
                f"There were {settings.LOGIN_FAILURES_ALLOWED} wrong passwords for this "
                f"account or from your network in the last {window // 60} minutes, so "
                "signing in is paused for a few minutes to protect the account."
            ),
            "wait_minutes": max(1, window // 60),
            "offer_reset": True,
        },
        status=429,
    )
    response["Retry-After"] = str(window)
    return response


class LoginThrottleMiddleware:
    """Turn allauth's "too many failed attempts" form error into a 429 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, THROTTLED_ATTR, False):
            return too_many_attempts(request)
        return response


class StaffMFAMiddleware:
    """Staff open the admin only with two-factor sign-in set up.

    The admin's own login page redirects to allauth's (urls.py), so a staff member with an
    authenticator passes its code step on the way in; one without is sent to set it up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Staff need two-factor sign-in to open the admin. Set it up with an "
                "authenticator app, then open the admin again.",
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """/admin/login/ goes through the site's sign-in (throttle, two-factor step)."""
    target = reverse("account_login")
    next_url = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
