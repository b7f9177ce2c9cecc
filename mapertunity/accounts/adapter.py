"""allauth, with the links in its emails built on SITE_URL (see core/links.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from mapertunity.core.links import absolute_url

from .security import mark_login_throttled


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(
        self, request: HttpRequest, emailconfirmation: EmailConfirmation
    ) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Employers land on their jobs, everyone else on the map (a ``next`` still wins:
        allauth asks this only when there is none)."""
        user = request.user
        if user.is_authenticated and user.memberships.exists():
            return reverse("employers:dashboard")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses an attempt past the failed-login limit with a form error; mark
        the request so LoginThrottleMiddleware answers a 429 page instead."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            mark_login_throttled(request)
            raise

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sent instead of a confirmation when someone signs up with a registered address
        (accounts/signup.py): the owner can sign in or choose a new password."""
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "login_url": absolute_url(reverse("account_login")),
                "password_reset_url": absolute_url(reverse("account_reset_password")),
            },
        )
