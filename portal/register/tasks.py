"""Background processing of register changes (django-tasks)."""

from django.conf import settings
from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.register.models import RegisterChange
from portal.register.processing import process_change


@task()
def process_register_change(change_id: int) -> str:
    return process_change(change_id)


def enqueue_processing(change: RegisterChange) -> None:
    process_register_change.using(queue_name=settings.TASK_QUEUE_DEFAULT).enqueue(change.pk)


def has_active_processing(change_id: int) -> bool:
    """Whether a task for this change is waiting or running."""
    return DBTaskResult.objects.filter(
        Q(task_path=process_register_change.module_path, args_kwargs__args__0=change_id),
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()
