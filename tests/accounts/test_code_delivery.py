"""Code emails go out over one reused SMTP connection in a worker, and survive a drop."""

import socket

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from portal.emails.services import deliver, queue_email
from portal.operations.smtp import PersistentSMTPBackend, _local


def test_reuses_one_connection_and_reconnects_after_a_drop(mail, settings):
    _local.connection = None
    backend = PersistentSMTPBackend(fail_silently=False)
    for number in range(3):
        backend.send_messages(
            [EmailMessage(f"Code {number}", "body", "a@example.org", ["reuse@example.org"])]
        )
    first = _local.connection
    assert first is not None
    assert len(mail.wait_for("reuse@example.org", 3)) == 3
    # The server (or the network) drops the connection: the next send reconnects once.
    first.sock.shutdown(socket.SHUT_RDWR)
    PersistentSMTPBackend(fail_silently=False).send_messages(
        [EmailMessage("Code 4", "body", "a@example.org", ["reuse@example.org"])]
    )
    assert len(mail.wait_for("reuse@example.org", 4)) == 4
    assert _local.connection is not first
    PersistentSMTPBackend().drop()


class SynchronousCommitProbe(BaseEmailBackend):
    """Notes the session's synchronous_commit while a message is being sent."""

    seen: list[str] = []

    def send_messages(self, email_messages):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            self.seen.append(cursor.fetchone()[0])
        return len(email_messages)


@pytest.mark.django_db(transaction=True)
def test_only_mail_bookkeeping_skips_waiting_for_the_disk(settings):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting; SQLite has no equivalent")
    settings.EMAIL_BACKEND = f"{__name__}.SynchronousCommitProbe"
    SynchronousCommitProbe.seen = []
    message = queue_email(to="probe@example.org", template="sign_up_code", context={"code": "1"})
    assert deliver(str(message.id)) == "sent"
    # Off inside the delivery's own transaction (SET LOCAL) ...
    assert SynchronousCommitProbe.seen == ["off"]
    # ... and on again for whatever the same connection writes next (domain rows, audit).
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
