"""Signing up without telling anyone whether an address already has an account.

allauth's sign-up page (employers, through :class:`~.forms.SignupForm`) and the candidate
signup's step 3 (:func:`sign_up`) answer alike. With confirmation mandatory (the default)
a registered address gets exactly the answer a new one gets, "check your inbox", and its
owner an email saying someone tried to sign up, with sign-in and reset links; nothing is
made, and the password is hashed all the same so that the answer takes as long. A new
account can't be signed into before its address is confirmed, which is what lets the two
answers match. With confirmation optional a new account is signed in at once, which a
registered address can't be, so then a taken address is refused as such: allauth's rule
(``email_already_exists``), used here so that both sign-ups follow it.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account import app_settings
from allauth.account.internal.flows import manage_email
from allauth.account.internal.flows import signup as allauth_signup
from allauth.account.utils import complete_signup, setup_user_email
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from .models import User

TAKEN = "An account with this email already exists. Sign in, then come back to finish."


def has_hidden_account(email: str) -> bool:
    """Whether ``email`` already has an account that signing up must not reveal.

    Raises ValidationError (:data:`TAKEN`) when the address is taken and sign-up may say so,
    which is when confirming it is not mandatory."""
    try:
        return manage_email.email_already_exists(email)[1]
    except ValidationError:
        raise ValidationError(TAKEN, code="email_taken") from None


def spend_a_password_hash(password: str) -> None:
    """Take the time a new account's password hash takes (the slowest step of making one,
    hundreds of milliseconds), as Django's ModelBackend does for unknown users."""
    make_password(password)


def sign_up(
    *,
    request: HttpRequest,
    email: str,
    password: str,
    redirect_url: str,
    create: Callable[[], User],
) -> HttpResponse:
    """Make the account ``create`` builds (with ``email`` and ``password``) and hand it to
    allauth, which sends the confirmation and, with confirmation optional, signs it in.

    Returns allauth's answer: "check your inbox", or with optional confirmation the way to
    ``redirect_url``, where confirming the address in this browser also leads. An address
    with an account gets the same answer and nothing is made (its owner is emailed)."""
    if has_hidden_account(email):
        return _answer_as_new(request, email, password)
    try:
        with transaction.atomic():
            user = create()
            setup_user_email(request, user, [])
    except IntegrityError:
        # Someone signed up with the address between the check and now.
        if has_hidden_account(email):
            return _answer_as_new(request, email, password)
        raise
    return complete_signup(request, user, app_settings.EMAIL_VERIFICATION, redirect_url)


def _answer_as_new(request: HttpRequest, email: str, password: str) -> HttpResponse:
    spend_a_password_hash(password)
    return allauth_signup.prevent_enumeration(request, email=email)
