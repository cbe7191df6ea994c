"""An SMTP backend for task workers that keeps its connection open between messages.

Django's SMTP backend opens a connection (connect, greeting, EHLO) and closes it (QUIT) for
every message; a worker sending codes one after another spends most of its time on that.
This one keeps one connection per thread and reconnects once if the server has dropped it.
Failures still reach the caller, so the outbox's retry rules are unchanged.
"""

import smtplib
import threading
from collections.abc import Sequence

from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import EmailMessage

_local = threading.local()


class PersistentSMTPBackend(EmailBackend):
    def open(self) -> bool | None:
        existing = getattr(_local, "connection", None)
        if existing is not None:
            self.connection = existing
            return False
        opened = super().open()
        _local.connection = self.connection
        return opened

    def close(self) -> None:
        """Kept open for the next message; `drop` really closes it."""

    def drop(self) -> None:
        _local.connection = None
        super().close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        try:
            return super().send_messages(email_messages)
        except (smtplib.SMTPServerDisconnected, ConnectionError, OSError):
            # The server closed an idle connection (or it broke): start afresh, once.
            self.drop()
            return super().send_messages(email_messages)
