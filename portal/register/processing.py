"""Processing one register change: what the worker does with a RegisterChange row.

`register_changed` is sent by the worker, inside the transaction that marks the change
processed, to every receiver (accounts follows an email change; delegation flags
memberships whose granter lost their role, or that a role makes redundant). A receiver that
raises rolls the whole transaction back: the change stays unprocessed, with its error and
attempt count kept, and is tried again after a back-off (portal.register.events). So
receivers must be idempotent: they read the register as it is now.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.register.models import RegisterChange

logger = logging.getLogger(__name__)

# Sent in the worker with: change (RegisterChange), person_id (int), reason (str), data (dict).
register_changed = Signal()


def retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after `attempts` failures: the base, doubling, at most 30 minutes."""
    base = settings.REGISTER_CHANGE_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 1800))


def process_change(change_id: int) -> str:
    """Apply one change's effects exactly once (idempotent: a processed change is skipped,
    and a change another worker holds is left to it)."""
    try:
        with transaction.atomic():
            change = (
                RegisterChange.objects.select_for_update(skip_locked=True)
                .filter(pk=change_id)
                .first()
            )
            if change is None:
                return "missing or in hand"
            if change.processed_at is not None:
                return "already processed"
            _wait_for_locks_at_most(settings.REGISTER_CHANGE_LOCK_TIMEOUT_MS)
            register_changed.send(
                sender=RegisterChange,
                change=change,
                person_id=change.person_id,
                reason=change.reason,
                data=change.data,
            )
            change.processed_at = timezone.now()
            change.attempts += 1
            change.last_error = ""
            change.save(update_fields=["processed_at", "attempts", "last_error"])
    except Exception as error:  # any receiver's failure: keep it and try again later
        logger.exception("Register change %s failed; it will be tried again", change_id)
        _note_failure(change_id, error)
        return "retry"
    return "processed"


def _wait_for_locks_at_most(milliseconds: int) -> None:
    """A row someone else holds for long (an account being edited) fails this attempt
    rather than stalling the worker; the change is tried again later."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])


def _note_failure(change_id: int, error: Exception) -> None:
    with transaction.atomic():
        change = RegisterChange.objects.select_for_update().filter(pk=change_id).first()
        if change is None:
            return
        change.attempts += 1
        change.last_error = f"{type(error).__name__}: {error}"[:2000]
        change.next_attempt_at = timezone.now() + retry_delay(change.attempts)
        change.save(update_fields=["attempts", "last_error", "next_attempt_at"])
