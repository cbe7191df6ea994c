"""Time-based work the worker's sweeper runs for notifications (settings.SWEEP_HOOKS)."""

import logging

from django.db import transaction
from django.utils import timezone

from portal.audit.services import record_about
from portal.casework.models import CaseKind, has_case
from portal.notifications import cases, scheduled_changes, services
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.models import OPEN_STATUSES, Notification, ScheduledChange

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
            record_about(
                change.notification,
                verb=NotificationsVerb.CHANGE_APPLIED,
                actor=change.accepted_by,
                data={"takes_effect_on": change.takes_effect_on.isoformat()},
            )
            applied += 1
    if applied:
        logger.info("Applied %s accepted change(s) that took effect today", applied)
    return applied


def open_overdue_update_cases() -> int:
    """Open a case for each update a provider owes and has not sent by its date (once: a
    notification's overdue-update case is unique, and a retry finds it open)."""
    owing = (
        Notification.objects.filter(
            next_due_on__lt=scheduled_changes.today(),
            next_due_label__gt="",
            status__in=OPEN_STATUSES,
        )
        .exclude(has_case(Notification, CaseKind.OVERDUE_UPDATE))
        .order_by("next_due_on", "pk")
    )
    opened = 0
    for notification_id in list(owing.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("provider", "location")
                .filter(pk=notification_id, next_due_label__gt="")
                .first()
            )
            if notification is None:
                continue
            cases.open_overdue_update(notification)
            opened += 1
    if opened:
        logger.info("Opened %s case(s) for provider updates that are overdue", opened)
    return opened
