from typing import Any

from django.apps import AppConfig
from django.core.checks import register
from django.core.signals import request_finished
from django_tasks.signals import task_finished, task_started


class OperationsConfig(AppConfig):
    name = "portal.operations"
    verbose_name = "Operations (health, request ids, logging, worker)"

    def ready(self) -> None:
        from portal.operations.body_limits import check_body_limits
        from portal.operations.logging import install_request_id_record_factory
        from portal.operations.request_context import clear_request_id

        install_request_id_record_factory()
        register(check_body_limits)
        request_finished.connect(clear_request_id, dispatch_uid="portal-clear-request-id")
        # A background task's log lines and audit events carry the task's id instead.
        task_started.connect(bind_task_id, dispatch_uid="portal-task-request-id")
        task_finished.connect(clear_request_id, dispatch_uid="portal-task-request-id-clear")


def bind_task_id(task_result: Any, **_kwargs: Any) -> None:
    from portal.operations.request_context import set_request_id

    set_request_id(f"task-{task_result.id}")
