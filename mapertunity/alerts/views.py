"""Alerts (saved searches with an area) and saved jobs: the signed-in seeker's own pages,
the one-click unsubscribe from an alert's emails, and the alert's secret feed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.core.links import absolute_url
from mapertunity.jobs.filters import JobFilterForm
from mapertunity.jobs.models import Job

from . import actions, emails
from .forms import AlertForm, AreaForm
from .matching import describe, matching_jobs, normalised_query
from .models import Alert, SavedJob

PREVIEW = 5
FILTER_FIELDS_SHOWN = [name for name in JobFilterForm.base_fields if name != "sort"]


def _get_alert(request: AuthenticatedHttpRequest, alert_id: UUID) -> Alert:
    """The signed-in user's alert, or 404 for anyone else's (or none)."""
    return get_object_or_404(Alert.objects.for_user(request.user), pk=alert_id)


def _filter_fields(form: JobFilterForm) -> list[Any]:
    return [form[name] for name in FILTER_FIELDS_SHOWN]


@require_safe
@login_required
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    alerts = list(Alert.objects.for_user(request.user))
    for alert in alerts:
        alert.filter_words = describe(alert.query)  # type: ignore[attr-defined]
    return render(request, "alerts/alert_list.html", {"alerts": alerts})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save a search: the map page's view or drawn area and its filters, or (without
    JavaScript) the filters of the page this was opened from."""
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    alert_form = AlertForm(data, initial={"name": _suggest_name(source)})
    area_form = AreaForm(data if data is not None else source)
    filter_form = JobFilterForm(source)
    valid: list[bool] = []
    if data is not None:
        valid = [alert_form.is_valid(), area_form.is_valid(), filter_form.is_valid()]
        if all(valid):
            area = area_form.cleaned_data
            alert = actions.create_alert(
                user=request.user,
                name=alert_form.cleaned_data["name"],
                frequency=alert_form.cleaned_data["frequency"],
                query=normalised_query(filter_form),
                box=area["bbox"],
                ring=area["polygon"],
            )
            messages.success(
                request, f"Saved “{alert.name}”. New matching jobs will be emailed to you."
            )
            return redirect("alerts:list")
    else:
        area_form.is_valid()
        filter_form.is_valid()
    context = {
        "alert_form": alert_form,
        "area_form": area_form,
        "filter_form": filter_form,
        "filter_fields": _filter_fields(filter_form),
        "area": area_form.cleaned_data if not area_form.errors else {},
    }
    return render(
        request, "alerts/alert_form.html", context, status=400 if data and not all(valid) else 200
    )


def _suggest_name(query: QueryDict) -> str:
    words = describe(normalised_query_or_blank(query))
    return (words[0].strip("“”") if words else "Jobs in this area")[:100].capitalize()


def normalised_query_or_blank(query: QueryDict) -> str:
    form = JobFilterForm(query)
    return normalised_query(form) if form.is_valid() else ""


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _get_alert(request, alert_id)
    data = request.POST if request.method == "POST" else None
    alert_form = AlertForm(data, initial={"name": alert.name, "frequency": alert.frequency})
    filter_form = JobFilterForm(data if data is not None else QueryDict(alert.query))
    status = 200
    if data is not None:
        if alert_form.is_valid() and filter_form.is_valid():
            actions.update_alert(
                alert=alert,
                name=alert_form.cleaned_data["name"],
                frequency=alert_form.cleaned_data["frequency"],
                query=normalised_query(filter_form),
            )
            messages.success(request, f"Saved your changes to “{alert.name}”.")
            return redirect("alerts:list")
        status = 400
    context = {
        "alert": alert,
        "alert_form": alert_form,
        "filter_form": filter_form,
        "filter_fields": _filter_fields(filter_form),
        "filter_words": describe(alert.query),
        "feed_url": absolute_url(reverse("alerts:feed", args=[alert.feed_token]))
        if alert.feed_token
        else "",
        "preview": matching_jobs(alert, limit=PREVIEW),
    }
    return render(request, "alerts/alert_edit.html", context, status=status)


@require_POST
@login_required
def pause(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _get_alert(request, alert_id)
    if request.POST.get("paused") == "0":
        actions.resume_alert(alert=alert)
        messages.success(request, f"“{alert.name}” is on again.")
    else:
        actions.pause_alert(alert=alert)
        messages.success(request, f"Paused “{alert.name}”: no emails until you resume it.")
    return redirect("alerts:list")


@require_POST
@login_required
def delete(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _get_alert(request, alert_id)
    name = alert.name
    actions.delete_alert(alert=alert)
    messages.success(request, f"Deleted the alert “{name}”.")
    return redirect("alerts:list")


@require_POST
@login_required
def rotate_feed(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _get_alert(request, alert_id)
    actions.rotate_feed(alert=alert)
    messages.success(request, "New feed address made. Any old address no longer works.")
    return redirect(alert)


@require_POST
@login_required
def revoke_feed(request: AuthenticatedHttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _get_alert(request, alert_id)
    actions.revoke_feed(alert=alert)
    messages.success(request, "Turned the feed off. Its address no longer works.")
    return redirect(alert)


@csrf_exempt  # mail apps POST the one-click request (RFC 8058) with no session or token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (mail scanners follow links); POST pauses the alert's emails."""
    alert = emails.read_unsubscribe_token(token)
    if alert is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        actions.pause_alert(alert=alert)
    context = {"alert": alert, "done": done, "email": alert.user.email}
    return render(request, "alerts/unsubscribe.html", context)


# -- saved jobs ---------------------------------------------------------------------------


@require_safe
@login_required
def saved_jobs(request: AuthenticatedHttpRequest) -> HttpResponse:
    saved = list(SavedJob.objects.for_user(request.user).select_related("job__company"))
    return render(request, "alerts/saved_jobs.html", {"saved": saved})


@require_POST
@login_required
def save_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """Save or remove a bookmark (``action`` = ``save`` or ``remove``). htmx gets the
    button back; without JavaScript the page it came from is shown again."""
    if request.POST.get("action") == "remove":
        actions.unsave_job(user=request.user, job_id=job_id)
        job = Job.objects.filter(pk=job_id).first()
        saved = False
    else:
        job = Job.objects.filter(pk=job_id).first()
        if job is None or not job.is_live:
            raise Http404("No such job.")
        actions.save_job(user=request.user, job=job)
        saved = True
    if request.htmx:
        if job is None:
            return HttpResponse("")
        return render(
            request, "alerts/_save_button.html", {"job": job, "saved": saved, "fixed": True}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = job.get_absolute_url() if job is not None else reverse("alerts:saved")
    messages.success(request, "Saved the job." if saved else "Removed it from your saved jobs.")
    return redirect(next_url)
