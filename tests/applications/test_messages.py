"""Conversations: one per application, invitations, batching, blocking, reports, unread."""

import datetime as dt

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client

from mapertunity.applications import actions, emails
from mapertunity.applications.models import Conversation, Message, ReadMark, StageEvent
from tests.helpers import make_job, with_mfa

from .helpers import apply_to, candidate_with_resume

pytestmark = pytest.mark.django_db


def _later(thread: Conversation, *, minutes: int) -> None:
    """As if ``minutes`` had passed: every time in the conversation moves back."""
    shift = dt.timedelta(minutes=minutes)
    Message.objects.filter(conversation=thread).update(created_at=F("created_at") - shift)
    ReadMark.objects.filter(conversation=thread).update(read_at=F("read_at") - shift)
    Conversation.objects.filter(pk=thread.pk).update(
        candidate_notified_at=F("candidate_notified_at") - shift
    )


def test_both_sides_write_in_the_applications_conversation(
    client: Client, employer, company
) -> None:
    application = apply_to(make_job(company))
    thread = application.conversation
    client.force_login(employer)
    client.post(
        thread.get_absolute_url(),
        {"body": "Could you come in on Tuesday? See https://maps.example.com/x"},
    )
    client.force_login(application.candidate.user)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Could you come in on Tuesday?" in page
    assert 'href="https://maps.example.com/x" rel="nofollow"' in page  # links, made safe
    client.post(thread.get_absolute_url(), {"body": "Tuesday works. <script>x</script>"})
    client.force_login(employer)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Tuesday works. &lt;script&gt;" in html


def test_the_employers_first_message_counts_once_as_a_response(employer, company) -> None:
    application = apply_to(make_job(company))
    thread = application.conversation
    actions.send_message(conversation=thread, sender=employer, body="Thanks, reading it now.")
    actions.send_message(conversation=thread, sender=employer, body="And one more thing.")
    actions.send_message(conversation=thread, sender=application.candidate.user, body="Great!")
    responses = StageEvent.objects.filter(application=application, by_employer=True)
    assert list(responses.values_list("kind", flat=True)) == ["message"]


def test_new_messages_are_emailed_at_most_once_per_window(employer, company, settings) -> None:
    settings.MESSAGE_EMAIL_MINUTES = 15
    application = apply_to(make_job(company))
    thread, person = application.conversation, application.candidate.user
    mail.outbox.clear()
    actions.send_message(conversation=thread, sender=employer, body="First")
    assert [m.to for m in mail.outbox] == [[person.email]]
    actions.send_message(conversation=thread, sender=employer, body="Second")
    actions.send_message(conversation=thread, sender=employer, body="Third")
    assert len(mail.outbox) == 1  # inside the window: they wait for one batch email
    assert not emails.new_messages(str(thread.pk), "candidate")  # too early, still
    _later(thread, minutes=16)
    assert emails.new_messages(str(thread.pk), "candidate")
    assert not emails.new_messages(str(thread.pk), "candidate")  # two workers: one email
    batch = mail.outbox[1]
    assert "Second" in batch.body and "Third" in batch.body and "First" not in batch.body


def test_read_messages_are_not_emailed(employer, company, settings) -> None:
    settings.MESSAGE_EMAIL_MINUTES = 15
    application = apply_to(make_job(company))
    thread, person = application.conversation, application.candidate.user
    actions.send_message(conversation=thread, sender=employer, body="First")
    actions.send_message(conversation=thread, sender=employer, body="Second")
    actions.mark_read(conversation=thread, user=person)
    _later(thread, minutes=16)
    mail.outbox.clear()
    emails.new_messages(str(thread.pk), "candidate")
    assert mail.outbox == []


def test_an_invitation_hides_contact_details_until_accepted(
    client: Client, employer, company
) -> None:
    person = candidate_with_resume("quiet-welder", phone="+44 20 7946 0958")
    client.force_login(employer)
    profile = client.get("/u/quiet-welder/").content.decode()
    assert "/messages/new/quiet-welder/" in profile
    response = client.post(
        "/messages/new/quiet-welder/", {"body": "We'd love to talk about a TIG role."}
    )
    thread = Conversation.objects.get()
    assert response["Location"] == thread.get_absolute_url() and thread.status == "invited"
    assert mail.outbox[-1].to == [person.user.email]
    html = client.get(thread.get_absolute_url()).content.decode()
    assert person.user.email not in html and "7946" not in html
    assert (
        "Wait for the candidate"
        in client.post(thread.get_absolute_url(), {"body": "Hello?"}).content.decode()
    )
    client.force_login(person.user)
    client.post(f"/messages/{thread.pk}/invitation/", {"answer": "accept"})
    client.force_login(employer)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert person.user.email in html and "7946 0958" in html


def test_a_declined_invitation_takes_no_more_messages(employer, company) -> None:
    person = candidate_with_resume()
    thread = actions.invite(company=company, candidate=person, sender=employer, body="Hi!")
    actions.answer_invitation(conversation=thread, user=person.user, accept=False)
    with pytest.raises(actions.MessageError, match="declined"):
        actions.send_message(conversation=thread, sender=employer, body="Please?")
    with pytest.raises(actions.MessageError, match="already"):
        actions.invite(company=company, candidate=person, sender=employer, body="Again")


def test_either_side_can_block(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    thread = application.conversation
    client.force_login(application.candidate.user)
    client.post(f"/messages/{thread.pk}/block/")
    with pytest.raises(actions.MessageError, match="blocked"):
        actions.send_message(conversation=thread, sender=employer, body="Hello")
    with pytest.raises(actions.MessageError, match="blocked"):
        actions.send_message(conversation=thread, sender=application.candidate.user, body="Hi")


def test_staff_read_a_conversation_only_once_it_is_reported(
    client: Client, employer, company
) -> None:
    from mapertunity.accounts.models import User

    application = apply_to(make_job(company))
    thread = application.conversation
    actions.send_message(conversation=thread, sender=employer, body="Send me your bank PIN")
    staff = with_mfa(User.objects.create_superuser("moderator@mapertunity.example.com", "pw"))
    client.force_login(staff)
    assert client.get(f"/admin/applications/conversation/{thread.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get(thread.get_absolute_url()).status_code == 404  # not a party
    client.force_login(application.candidate.user)
    client.post(
        f"/messages/{thread.pk}/report/",
        {"reason": "scam", "details": "Asked for my bank details"},
    )
    client.force_login(staff)
    page = client.get(f"/admin/applications/conversation/{thread.pk}/change/").content.decode()
    assert "Send me your bank PIN" in page and "Asked for my bank details" in page


def test_unread_counts_in_the_header(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    person = application.candidate.user
    actions.send_message(conversation=application.conversation, sender=employer, body="Hello")
    assert actions.unread_count(person) == 1 and actions.unread_count(employer) == 0
    client.force_login(person)
    assert 'aria-label="1 unread"' in client.get("/").content.decode()
    client.get(application.conversation.get_absolute_url())
    assert actions.unread_count(person) == 0
    assert 'unread"' not in client.get("/applications/").content.decode()
