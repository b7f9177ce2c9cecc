"""Reminders: the digest settings and the calendar feed, by a secret, revocable URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.accounts.models import EmailOptOut
from mapertunity.accounts.notifications import Kind, opt_out, wants
from mapertunity.core.links import absolute_url

from .. import actions, ical
from ..forms import SettingsForm
from ..models import CoachSettings


@login_required
def reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
    coach = actions.settings_for(request.user)
    initial = {
        "time_zone": coach.time_zone,
        "digest_hour": coach.digest_hour,
        "digests": wants(request.user, Kind.FOLLOWUP),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_settings(
            coach=coach, time_zone=data["time_zone"], digest_hour=data["digest_hour"]
        )
        if data["digests"]:
            EmailOptOut.objects.filter(user=request.user, kind=Kind.FOLLOWUP).delete()
        else:
            opt_out(user=request.user, kind=Kind.FOLLOWUP)
        messages.success(request, "Saved your reminder settings.")
        return redirect("followup:reminders")
    feed_url = absolute_url(ical.feed_path(coach))
    context = {
        "form": form,
        "coach": coach,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "section": "reminders",
    }
    return render(request, "followup/reminders.html", context)


@require_POST
@login_required
def rotate_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.rotate_feed(coach=actions.settings_for(request.user))
    messages.success(
        request,
        "New calendar address made. The old one no longer works: subscribe again with this one.",
    )
    return redirect("followup:reminders")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription a calendar polls. The token is the only key: no sign-in (calendar
    apps can't), and a wrong or revoked one is a plain 404."""
    coach = CoachSettings.objects.select_related("user").filter(feed_token=token).first()
    if coach is None or not token or not coach.user.is_active:
        raise Http404("No such calendar.")
    response = HttpResponse(ical.feed(coach), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="follow-up.ics"'
    return response
