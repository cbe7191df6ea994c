"""Background delivery of outbox messages (django-tasks)."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.emails.models import OutboxMessage
from portal.emails.services import deliver


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
