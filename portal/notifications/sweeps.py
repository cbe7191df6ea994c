"""Time-based work the worker's sweeper runs for notifications (settings.SWEEP_HOOKS)."""

import logging

from django.db import transaction
from django.utils import timezone

from portal.audit.services import record
from portal.notifications import scheduled_changes, services
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.models import ScheduledChange

logger = logging.getLogger(__name__)


def apply_due_changes() -> int:
    """Apply every accepted change whose date has come, each in its own transaction under a
    row lock: a retry, or two workers sweeping at once, never applies one twice (a row
    another worker holds is skipped, and one already applied is no longer waiting)."""
    due = ScheduledChange.objects.filter(
        applied_at__isnull=True, takes_effect_on__lte=scheduled_changes.today()
    ).order_by("takes_effect_on", "pk")
    applied = 0
    for change_id in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            change = (
                ScheduledChange.objects.select_for_update(skip_locked=True)
                .select_related("notification", "accepted_by")
                .filter(pk=change_id, applied_at__isnull=True)
                .first()
            )
            if change is None:
                continue
            services.apply_accepted_change(
                notification=change.notification, actor=change.accepted_by
            )
            change.applied_at = timezone.now()
            change.save(update_fields=["applied_at"])
            record(
                verb=NotificationsVerb.CHANGE_APPLIED,
                actor=change.accepted_by,
                target=change.notification,
                data={
                    "reference": change.notification.reference,
                    "takes_effect_on": change.takes_effect_on.isoformat(),
                },
            )
            applied += 1
    if applied:
        logger.info("Applied %s accepted change(s) that took effect today", applied)
    return applied
