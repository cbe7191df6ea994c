"""Health checks for load balancers and operators."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthCheck:
    """What one of settings.HEALTH_CHECKS found (a dependency such as the virus scanner)."""

    ok: bool
    status: str  # "ok", "unreachable"...
    detail: str = ""


def run_health_checks() -> dict[str, HealthCheck]:
    """Every check in settings.HEALTH_CHECKS; one that raises is reported as failed. A
    failed check's detail goes to the log."""
    results: dict[str, HealthCheck] = {}
    for name, path in settings.HEALTH_CHECKS.items():
        try:
            results[name] = import_string(path)()
        except Exception as error:
            results[name] = HealthCheck(ok=False, status="error", detail=type(error).__name__)
        if not results[name].ok:
            logger.warning(
                "Health check %s: %s (%s)", name, results[name].status, results[name].detail
            )
    return results


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    worker_ok: bool
    last_worker_heartbeat: dt.datetime | None

    @property
    def healthy(self) -> bool:
        return self.database_ok and self.worker_ok


def check_health() -> HealthReport:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        latest = (
            WorkerHeartbeat.objects.order_by("-last_seen_at")
            .values_list("last_seen_at", flat=True)
            .first()
        )
    except DatabaseError:
        return HealthReport(database_ok=False, worker_ok=False, last_worker_heartbeat=None)
    fresh_after = timezone.now() - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return HealthReport(
        database_ok=True,
        worker_ok=latest is not None and latest >= fresh_after,
        last_worker_heartbeat=latest,
    )
