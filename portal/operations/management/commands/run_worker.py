"""Run a task worker: django-tasks-db's worker loop plus heartbeat and sweeper.

Production runs several of these (`--queues priority_email` on at least one), all sharing
the database queue; `make run` runs one for every queue.
"""

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from portal.operations import sweeper

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run a background task worker with heartbeat and sweeper."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queues", default="*", help="Comma-separated queue names, or *.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Idle poll interval (s). Default 0.02 for a worker of the priority email "
            "queue only (a code should not wait for a poll), 0.1 otherwise.",
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: random).")
        parser.add_argument("--no-sweeper", action="store_true", help="Heartbeat only.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or get_random_string(24)
        queues = options["queues"]
        interval = options["interval"]
        if interval is None:
            priority_only = queues == settings.TASK_QUEUE_PRIORITY_EMAIL
            interval = 0.02 if priority_only else 0.1
        if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
            # One SMTP connection per worker, reused from message to message.
            settings.EMAIL_BACKEND = "portal.operations.smtp.PersistentSMTPBackend"
        stop = threading.Event()
        started_at = timezone.now()

        def housekeeping() -> None:
            cycle = 0
            while not stop.is_set():
                try:
                    close_old_connections()
                    sweeper.beat(worker_id=worker_id, queues=queues, started_at=started_at)
                    every = max(
                        1, settings.EMAIL_SWEEP_SECONDS // settings.WORKER_HEARTBEAT_SECONDS
                    )
                    if not options["no_sweeper"] and cycle % every == 0:
                        sweeper.sweep()
                except Exception:  # keep beating: one failed sweep must not stop the worker
                    logger.exception("Worker housekeeping failed")
                cycle += 1
                stop.wait(settings.WORKER_HEARTBEAT_SECONDS)
            connection.close()

        thread = threading.Thread(target=housekeeping, name="worker-housekeeping", daemon=True)
        thread.start()
        worker = Worker(
            queue_names=queues.split(","),
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"Worker {worker_id} processing queues: {queues}")
        try:
            worker.run()
        finally:
            stop.set()
            thread.join(timeout=5)
