"""The development mail backend: one file per message under EMAIL_FILE_PATH.

Django's file backend writes every message sent over one connection into one file
(a blog delivery batch, say), which makes a single email hard to find or open.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.message import EmailMessage


class OneFilePerMessageBackend(FileBackend):
    file_path: str

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{id(message)}.eml")
            with open(path, "wb") as handle:
                handle.write(message.message().as_bytes())
            sent += 1
        return sent
