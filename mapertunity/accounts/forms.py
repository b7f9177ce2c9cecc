"""allauth's sign-up form, as slow for an address that has an account as for a new one."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.http import HttpRequest

from .signup import spend_a_password_hash


class SignupForm(AllauthSignupForm):
    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """allauth answers a registered address without making an account, so without the
        password hash a new one costs: spend it, or the answer's speed would tell."""
        if self.account_already_exists:
            spend_a_password_hash(self.cleaned_data["password1"])
        return super().try_save(request)
