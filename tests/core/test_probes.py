"""The probe emails the scale demo counts: one email per key, however often it runs."""

import pytest
from django.core import mail
from django.core.management import call_command

from mapertunity.core.probes import probe_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_probe_emails_enqueues_one_email_per_key(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("probe_emails", "3", "--to", "ops@example.com")
    keys = capsys.readouterr().out.split()
    assert len(keys) == 3 and len(set(keys)) == 3
    assert sorted(m.extra_headers["X-Mapertunity-Probe"] for m in mail.outbox) == sorted(keys)
    assert all(m.to == ["ops@example.com"] for m in mail.outbox)


def test_a_probe_run_twice_sends_once() -> None:
    probe_email.call("again", "ops@example.com")
    probe_email.call("again", "ops@example.com")
    assert len(mail.outbox) == 1
