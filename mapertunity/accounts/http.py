"""Request types for views: who is signed in, and what htmx said."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class HtmxHttpRequest(HttpRequest):
    """Any request, with django-htmx's details (``request.htmx`` is falsy without htmx)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind ``@login_required``: the user is signed in."""

    user: User
