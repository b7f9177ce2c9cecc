"""Conversations: the inbox, a thread, invitations from employers, blocking and reports."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from mapertunity.accounts.http import AuthenticatedHttpRequest
from mapertunity.candidates.models import CandidateProfile
from mapertunity.companies.access import is_verified_employer
from mapertunity.companies.models import Company

from .. import actions
from ..forms import MessageForm, ReportForm
from ..models import Conversation
from .access import get_conversation_for_user

CONVERSATIONS_PER_PAGE = 30


def _is_candidate(conversation: Conversation, request: AuthenticatedHttpRequest) -> bool:
    return conversation.candidate.user_id == request.user.pk


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    conversations = list(
        Conversation.objects.for_user(request.user)
        .select_related("company", "candidate__user", "application__job")
        .order_by("-last_message_at")[:CONVERSATIONS_PER_PAGE]
    )
    unread = set(actions.unread_conversations(request.user).values_list("pk", flat=True))
    rows = [
        {"conversation": c, "unread": c.pk in unread, "as_candidate": _is_candidate(c, request)}
        for c in conversations
    ]
    return render(request, "applications/inbox.html", {"rows": rows})


@login_required
def conversation(request: AuthenticatedHttpRequest, conversation_id: UUID) -> HttpResponse:
    thread = get_conversation_for_user(request, conversation_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_message(
                conversation=thread, sender=request.user, body=form.cleaned_data["body"]
            )
        except actions.MessageError as error:
            form.add_error("body", error.messages[0])
            messages.error(request, error.messages[0])
        else:
            back = request.POST.get("back", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = thread.get_absolute_url()
            return redirect(back)
    actions.mark_read(conversation=thread, user=request.user)
    as_candidate = _is_candidate(thread, request)
    context = {
        "thread": thread,
        "chat": thread.messages.select_related("sender"),
        "form": form,
        "as_candidate": as_candidate,
        "report_form": ReportForm(),
        "show_contact": not as_candidate and thread.contact_shared,
        "writable": not thread.is_blocked
        and thread.status != Conversation.Status.DECLINED
        and (as_candidate or thread.status != Conversation.Status.INVITED),
    }
    return render(request, "applications/conversation.html", context)


@require_POST
@login_required
def answer_invitation(request: AuthenticatedHttpRequest, conversation_id: UUID) -> HttpResponse:
    thread = get_conversation_for_user(request, conversation_id)
    accept = request.POST.get("answer") == "accept"
    try:
        actions.answer_invitation(conversation=thread, user=request.user, accept=accept)
    except actions.MessageError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"You can now write to {thread.company.name}; they can see your email and phone."
            if accept
            else f"You declined. {thread.company.name} can't write to you in this conversation.",
        )
    return redirect(thread)


@require_POST
@login_required
def block(request: AuthenticatedHttpRequest, conversation_id: UUID) -> HttpResponse:
    thread = get_conversation_for_user(request, conversation_id)
    actions.block(conversation=thread, user=request.user)
    messages.success(request, "Blocked. No more messages can be sent in this conversation.")
    return redirect(thread)


@login_required
def report(request: AuthenticatedHttpRequest, conversation_id: UUID) -> HttpResponse:
    """Report a conversation, or one message in it (``?message=<id>``), to staff."""
    thread = get_conversation_for_user(request, conversation_id)
    form = ReportForm(request.POST or None, initial={"message": request.GET.get("message")})
    quoted = None
    message_id = form["message"].value()
    if message_id and str(message_id).isdigit():
        quoted = thread.messages.select_related("sender").filter(pk=int(message_id)).first()
    if request.method == "POST":
        if form.is_valid():
            actions.report(
                conversation=thread,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                message=quoted,
            )
            messages.success(
                request, "Thank you. Our staff will read this conversation and look into it."
            )
            return redirect(thread)
        messages.error(request, "Say briefly what's wrong, so staff know what to look for.")
    context = {"thread": thread, "form": form, "quoted": quoted}
    return render(request, "applications/report.html", context)


@login_required
def invite(request: AuthenticatedHttpRequest, handle: str) -> HttpResponse:
    """A verified employer writes first to a candidate found on the map or a profile."""
    if not is_verified_employer(request.user):
        return render(request, "candidates/employers_only.html", {"is_employer": False}, status=403)
    candidate = get_object_or_404(
        CandidateProfile.objects.visible_to(request.user).select_related("user"),
        user__handle__iexact=handle,
    )
    company = Company.objects.for_user(request.user).order_by("pk").first()
    assert company is not None  # a verified employer is a member of one
    existing = Conversation.objects.filter(
        company=company, candidate=candidate, application__isnull=True
    ).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = actions.invite(
                company=company,
                candidate=candidate,
                sender=request.user,
                body=form.cleaned_data["body"],
            )
        except actions.MessageError as error:
            form.add_error("body", error.messages[0])
        else:
            messages.success(
                request,
                f"Sent. {candidate.user.display_name} decides whether to talk; until then you "
                "won't see their contact details.",
            )
            return redirect(thread)
    context = {"candidate": candidate, "company": company, "form": form}
    return render(request, "applications/invite.html", context)
