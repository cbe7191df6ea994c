"""Background delivery of outbox messages (django-tasks): the tasks, delivery itself with
its retries, and the sweep that re-queues overdue mail."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.emails.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


@task()
def deliver_email(message_id: str) -> str:
    return deliver(message_id)


@task()
def deliver_emails(message_ids: list[str]) -> list[str]:
    """Several messages queued together (`queue_emails`), one after another. Each is
    delivered as `deliver_email` would, retries included; should the task itself fail
    part-way, the sweeper queues whatever is left once it is overdue."""
    return [deliver(message_id) for message_id in message_ids]


def enqueue_delivery(message: OutboxMessage, run_after: dt.datetime | None = None) -> None:
    options: dict[str, object] = {
        "queue_name": (
            settings.TASK_QUEUE_PRIORITY_EMAIL if message.priority else settings.TASK_QUEUE_DEFAULT
        ),
        "priority": 100 if message.priority else 0,
    }
    if run_after is not None:
        options["run_after"] = run_after
    deliver_email.using(**options).enqueue(str(message.id))  # type: ignore[arg-type]


def enqueue_batch_delivery(messages: list[OutboxMessage]) -> None:
    """One task for several (ordinary, not priority) messages."""
    deliver_emails.using(queue_name=settings.TASK_QUEUE_DEFAULT, priority=0).enqueue(
        [str(message.id) for message in messages]
    )


def has_active_delivery(message_id: str) -> bool:
    """Whether a delivery task for this message (alone, or with others) is waiting or
    running."""
    return DBTaskResult.objects.filter(
        Q(task_path=deliver_email.module_path, args_kwargs__args__0=message_id)
        | Q(task_path=deliver_emails.module_path, args_kwargs__args__0__icontains=message_id),
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after the given number of failed attempts: with the default base of
    5 s, that is 5 s, 10 s, 20 s ... capped at 30 minutes."""
    base = settings.EMAIL_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 1800))


def _bookkeeping_need_not_wait_for_the_disk() -> None:
    """For this transaction only (SET LOCAL), which marks one message sent or retried:
    should PostgreSQL crash within that fraction of a second, the message would be sent once
    more (same Message-ID), never lost, because the outbox row and its task were committed
    durably by whoever queued it. Saves an fsync per message. Never for domain writes or
    audit rows, which keep the server's synchronous commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")


def deliver(message_id: str) -> str:
    """Send one outbox message. Idempotent: a message already sent is not sent again.

    The row stays locked while the SMTP server takes the message, so two workers (a retry and
    the sweeper, say) can never both send it; if the worker dies mid-send the transaction
    rolls back and the message is still pending for the next attempt.
    """
    with transaction.atomic():
        _bookkeeping_need_not_wait_for_the_disk()
        message = OutboxMessage.objects.select_for_update().filter(id=message_id).first()
        if message is None:
            return "missing"
        if message.status != OutboxStatus.PENDING:
            return f"already {message.status}"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message.message_id},
        )
        message.attempts += 1
        try:
            get_connection(fail_silently=False).send_messages([email])
        except Exception as error:  # any transport failure: record it and retry later
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                logger.error("Gave up on email %s after %s attempts", message.id, message.attempts)
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
                enqueue_delivery(message, run_after=message.next_attempt_at)
                logger.warning(
                    "Email %s failed (attempt %s); will retry", message.id, message.attempts
                )
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "retry" if message.status == OutboxStatus.PENDING else "failed"
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        if not settings.SHOW_SENT_EMAILS:
            # Codes and links must not sit in the database once delivered.
            message.body = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "body"])
    return "sent"


def requeue_overdue(*, older_than: dt.timedelta) -> int:
    """Enqueue delivery again for pending messages that are overdue and have no delivery task
    waiting or running (the task failed unexpectedly, or was removed).

    A task left running by a dead worker is not duplicated here: the sweeper puts that task
    itself back in the queue once the worker's heartbeat is stale.
    """
    cutoff = timezone.now() - older_than
    count = 0
    overdue = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lt=cutoff)
    for message in overdue.only("id", "priority", "next_attempt_at")[:500]:
        with transaction.atomic():
            locked = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(id=message.id, status=OutboxStatus.PENDING)
                .only("id", "priority", "next_attempt_at")
                .first()
            )
            if locked is None or has_active_delivery(str(locked.id)):
                continue  # being delivered right now, or its task is still to come
            locked.next_attempt_at = timezone.now()
            locked.save(update_fields=["next_attempt_at"])
            enqueue_delivery(locked)
        count += 1
    if count:
        logger.warning("Re-queued %s overdue email(s)", count)
    return count
