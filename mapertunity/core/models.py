from __future__ import annotations

from django.db import models


class SentEmail(models.Model):
    """One notification email, by a key naming what it is about, sent at most once.

    A task claims the key (a unique row) before sending and marks it sent after; see
    :func:`mapertunity.core.outbox.send_once`.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
