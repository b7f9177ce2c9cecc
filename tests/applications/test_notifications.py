"""Notification email: two parts, one-click unsubscribe per kind, a real SMTP round trip."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client

from mapertunity.accounts.notifications import Kind, unsubscribe_token
from mapertunity.applications import actions
from mapertunity.applications.stages import Stage
from tests.helpers import make_job

from .helpers import apply_to

pytestmark = pytest.mark.django_db


def test_every_notification_has_text_and_html_parts(employer, company) -> None:
    application = apply_to(make_job(company))
    actions.move(application=application, to=Stage.REVIEWING, actor=employer)
    for message in mail.outbox:
        assert message.body.strip()
        assert message.alternatives and message.alternatives[0][1] == "text/html"


def test_one_click_unsubscribe_stops_one_kind_only(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    [notice] = mail.outbox  # "new applicant", a kind the employer may switch off
    link = notice.extra_headers["List-Unsubscribe"].strip("<>")
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.split("127.0.0.1:8000", 1)[1]
    assert "Stop these emails?" in client.get(path).content.decode()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # no CSRF
    mail.outbox.clear()
    apply_to(application.job)
    assert mail.outbox == []
    actions.send_message(
        conversation=application.conversation, sender=application.candidate.user, body="Hi"
    )
    assert [m.to for m in mail.outbox] == [[employer.email]]  # messages still arrive


def test_decisions_cannot_be_unsubscribed(client: Client, employer, company) -> None:
    application = apply_to(make_job(company))
    person = application.candidate.user
    client.post(f"/email/unsubscribe/{unsubscribe_token(person, Kind.DECISIONS)}/")
    mail.outbox.clear()
    actions.move(application=application, to=Stage.INTERVIEWING, actor=employer)
    actions.move(application=application, to=Stage.OFFER, actor=employer)
    actions.move(application=application, to=Stage.HIRED, actor=employer)
    assert [m.subject for m in mail.outbox][
        -1
    ] == "You're hired: Warehouse Lead at Harbor Freight Co-op"


def test_a_forged_unsubscribe_link_changes_nothing(client: Client) -> None:
    assert client.post("/email/unsubscribe/forged:token/").status_code == 400


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


def test_a_notification_travels_through_a_real_smtp_server(settings, employer, company) -> None:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port for the test's own mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        application = apply_to(make_job(company))
        actions.move(application=application, to=Stage.REVIEWING, actor=employer)
    finally:
        controller.stop()
    subjects = [message_from_bytes(raw)["Subject"] for raw in inbox.messages]
    assert "Harbor Freight Co-op is reviewing your application" in subjects
    received = next(
        message_from_bytes(r)
        for r in inbox.messages
        if "reviewing" in message_from_bytes(r)["Subject"]
    )
    assert received.is_multipart()
    types = {part.get_content_type() for part in received.walk()}
    assert {"text/plain", "text/html"} <= types
    assert received["List-Unsubscribe"].strip().startswith("<http")
