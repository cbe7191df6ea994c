"""Register changes as durable events, for accounts and delegation to act on.

Register services call `person_register_changed` inside their transaction: it writes a
RegisterChange row and enqueues its processing (a task row) in that same transaction, so
rolling the change back leaves neither, and committing it means the effects will happen.
Nothing runs in the request: a worker processes the change (portal.register.processing),
sending `register_changed` to the receivers and setting `processed_at`. A failure is kept on
the row and the sweeper (`replay_unprocessed`, a SWEEP_HOOK) enqueues the change again once
its back-off has passed, so no effect is lost and nobody sees an error page for it.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.register.models import Person, RegisterChange
from portal.register.processing import register_changed
from portal.register.tasks import enqueue_processing, has_active_processing

__all__ = ["person_register_changed", "register_changed", "replay_unprocessed"]


def person_register_changed(
    *, person: Person, reason: str, data: dict[str, Any] | None = None
) -> RegisterChange:
    with transaction.atomic(savepoint=False):
        change = RegisterChange.objects.create(
            person=person, reason=reason, data=data or {}, next_attempt_at=timezone.now()
        )
        enqueue_processing(change)
    return change


def replay_unprocessed() -> int:
    """Enqueue again every unprocessed change whose next attempt is due and that has no task
    waiting or running (its task failed, or was lost). Oldest first, 500 a sweep."""
    due = RegisterChange.objects.filter(
        processed_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).order_by("occurred_at")
    replayed = 0
    for change in due.only("id")[:500]:
        if has_active_processing(change.pk):
            continue
        enqueue_processing(change)
        replayed += 1
    return replayed
