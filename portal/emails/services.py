"""Queue emails. Queuing is the only way the portal sends mail; delivery (the task, its
retries and the overdue sweep) is in portal.emails.tasks."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.emails.models import OutboxMessage
from portal.emails.rendering import render_email
from portal.emails.tasks import (
    deliver,
    enqueue_batch_delivery,
    enqueue_delivery,
    requeue_overdue,
    retry_delay,
)

# Delivery lives with its task; these names stay importable from here for callers.
__all__ = ["deliver", "queue_email", "queue_emails", "requeue_overdue", "retry_delay"]


def queue_email(
    *, to: str, template: str, context: dict[str, Any] | None = None, priority: bool = False
) -> OutboxMessage:
    """Record an email in the outbox and enqueue its delivery, in the caller's transaction.

    `priority` is for codes and sign-in mail: it goes on its own queue ahead of everything.
    """
    rendered = render_email(template, context or {})
    # Atomic on its own, or part of the caller's transaction: no savepoint, which would
    # cost two more statements per email and protect nothing (nobody catches a failure here
    # and carries on).
    with transaction.atomic(savepoint=False):
        message = OutboxMessage.objects.create(
            to=to,
            subject=rendered.subject,
            body=rendered.body,
            template=template,
            priority=priority,
            next_attempt_at=timezone.now(),
        )
        enqueue_delivery(message)
    return message


def queue_emails(
    *, to: Iterable[str], template: str, context: dict[str, Any] | None = None
) -> list[OutboxMessage]:
    """The same email to several people (say, every manager of a team), in the caller's
    transaction: one statement writes every outbox row and one delivery task takes them
    all, so the cost does not grow with the number of people."""
    addresses = list(dict.fromkeys(to))
    if not addresses:
        return []
    rendered = render_email(template, context or {})
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        messages = OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    to=address,
                    subject=rendered.subject,
                    body=rendered.body,
                    template=template,
                    next_attempt_at=now,
                )
                for address in addresses
            ]
        )
        enqueue_batch_delivery(messages)
    return messages
