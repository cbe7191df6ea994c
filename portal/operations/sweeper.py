"""Keeps background work moving when workers die: heartbeats, orphaned tasks, overdue mail."""

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.emails.services import requeue_overdue
from portal.operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(*, worker_id: str, queues: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "queues": queues[:255],
            "started_at": started_at,
            "last_seen_at": timezone.now(),
        },
    )


def live_worker_ids() -> set[str]:
    fresh_after = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(last_seen_at__gte=fresh_after).values_list(
            "worker_id", flat=True
        )
    )


def recover_orphaned_tasks() -> int:
    """Tasks marked running by a worker that has stopped beating go back to the queue.

    Every task the portal runs is idempotent, so running one again is safe.
    """
    live = live_worker_ids()
    started_before = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    recovered = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=started_before
        )
        for result in running[:500]:
            owner = result.worker_ids[-1] if result.worker_ids else None
            if owner in live:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            recovered += 1
    if recovered:
        logger.warning("Recovered %s task(s) left running by stopped workers", recovered)
    return recovered


def forget_dead_workers() -> None:
    long_gone = timezone.now() - dt.timedelta(days=1)
    WorkerHeartbeat.objects.filter(last_seen_at__lt=long_gone).delete()


def run_domain_sweeps() -> None:
    """Time-based housekeeping that domains declare in settings.SWEEP_HOOKS (for example,
    expiring invitations). One failing hook must not stop the others."""
    for path in settings.SWEEP_HOOKS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Sweep hook %s failed", path)


def sweep() -> None:
    recover_orphaned_tasks()
    requeue_overdue(older_than=dt.timedelta(seconds=settings.EMAIL_SWEEP_SECONDS * 3))
    forget_dead_workers()
    run_domain_sweeps()
