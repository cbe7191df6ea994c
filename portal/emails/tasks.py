"""Background delivery of outbox messages (django-tasks)."""

import datetime as dt

from django.conf import settings
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.emails.models import OutboxMessage
from portal.emails.services import deliver


@task()
def deliver_email(message_id: str) -> str:
    return deliver(message_id)


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


def has_active_delivery(message_id: str) -> bool:
    """Whether a delivery task for this message is waiting or running."""
    return DBTaskResult.objects.filter(
        task_path=deliver_email.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0=message_id,
    ).exists()
