"""The people met at interviews: the candidate's network, with keep-in-touch reminders."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest

from .. import actions, drafts
from ..forms import ContactForm
from ..models import Contact
from .access import get_contact_for_owner


@require_safe
@login_required
def contacts(request: AuthenticatedHttpRequest) -> HttpResponse:
    coach = actions.settings_for(request.user)
    people = (
        Contact.objects.for_user(request.user)
        .annotate(met=Count("meetings"), last_met=Max("meetings__interview__starts_at"))
        .order_by("name", "pk")
    )
    return render(
        request,
        "followup/contacts.html",
        {"people": people, "today": coach.today(), "section": "people"},
    )


@login_required
def contact(request: AuthenticatedHttpRequest, contact_id: UUID) -> HttpResponse:
    found = get_contact_for_owner(request, contact_id)
    coach = actions.settings_for(request.user)
    form = ContactForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_contact(
                contact=found,
                name=data["name"],
                title=data["title"],
                company=data["company"],
                email=data["email"],
                phone=data["phone"],
                linkedin_url=data["linkedin_url"],
                notes=data["notes"],
                check_in_months=data["check_in_months"],
                next_check_in_on=data["next_check_in_on"],
                today=coach.today(),
            )
        except actions.FollowupError as error:
            form.add_error("email", error.messages[0])
        else:
            messages.success(request, f"Saved {found.name}.")
            return redirect(found)
    elif request.method == "POST":
        found.refresh_from_db()  # the form holds what was typed; the page shows what is saved
    meetings = found.meetings.select_related("interview").order_by("-interview__starts_at")
    context = {
        "contact": found,
        "form": form,
        "meetings": meetings,
        "today": coach.today(),
        "check_in_note": drafts.check_in_note(found, request.user),
        "section": "people",
    }
    return render(request, "followup/contact.html", context)


@require_POST
@login_required
def checked_in(request: AuthenticatedHttpRequest, contact_id: UUID) -> HttpResponse:
    found = get_contact_for_owner(request, contact_id)
    actions.checked_in(contact=found, today=actions.settings_for(request.user).today())
    if when := found.next_check_in_on:
        messages.success(
            request,
            f"Nice. We'll remind you to say hello to {found.first_name} again on "
            f"{when:%A} {when.day} {when:%B %Y}.",
        )
    else:
        messages.success(request, f"Noted. Keep-in-touch reminders for {found.name} are off.")
    if request.POST.get("back") == "today":
        return redirect("followup:today")
    return redirect(found)


@require_POST
@login_required
def delete_contact(request: AuthenticatedHttpRequest, contact_id: UUID) -> HttpResponse:
    found = get_contact_for_owner(request, contact_id)
    name = found.name
    actions.delete_contact(contact=found)
    messages.success(request, f"{name} and everything you noted about them are deleted.")
    return redirect("followup:contacts")
