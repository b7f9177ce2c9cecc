"""allauth's account forms with the site's labels (``ACCOUNT_FORMS`` in settings), and a
sign-up as slow for an address that has an account as for a new one.

allauth's own read "Remember Me" and "Password (again)" and repeat each label as a
placeholder; ours read like the rest of the site's forms. Validation stays allauth's.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.http import HttpRequest

from .signup import spend_a_password_hash


def _relabel(form: forms.Form, labels: dict[str, str]) -> None:
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if name in labels:
            field.label = labels[name]


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"login": "Email", "remember": "Keep me signed in on this device"})


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": "Email", "password2": "Password again"})

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """allauth answers a registered address without making an account, so without the
        password hash a new one costs: spend it, or the answer's speed would tell."""
        if self.account_already_exists:
            spend_a_password_hash(self.cleaned_data["password1"])
        return super().try_save(request)


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": "Email address"})


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": "Your account's email address"})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": "New password", "password2": "New password again"})


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": "Current password",
                "password1": "New password",
                "password2": "New password again",
            },
        )
