"""Code emails go out over one reused SMTP connection in a worker, and survive a drop."""

import socket

from django.core.mail import EmailMessage

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


def test_worker_connections_do_not_wait_for_the_disk(db):
    from django.db import connection

    from portal.operations.management.commands.run_worker import _asynchronous_commit

    if connection.vendor != "postgresql":
        return
    _asynchronous_commit(sender=None, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SET synchronous_commit TO on")
