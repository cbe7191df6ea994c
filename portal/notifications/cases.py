"""Each notification's case in the regulator's queue (portal.casework), written by the
notification services in their own transaction: submitted opens it (with the type's urgency
and the regulator's service deadline for that urgency), staff actions move it on, a question
stops its clock and the last answer restarts it, a decision or closing closes it. An update
the provider owes and has not sent by its date gets a case of its own (sweeps.py)."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.casework import services as casework
from portal.casework.backfill import register_backfill
from portal.casework.deadlines import service_deadline
from portal.casework.links import subject_link
from portal.casework.models import CaseKind, CaseStatus, has_case
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import OPEN_STATUSES, Notification, NotificationStatus
from portal.register.models import Location, Provider
from portal.staff_permissions import StaffPermission

# Lifecycle actions that end the regulator's work on a notification.
_CLOSING = frozenset({"close", "accept", "reject"})


def _title(notification: Notification) -> str:
    return CATALOGUE.name_of(notification.type_slug)


def open_for(
    notification: Notification,
    *,
    actor: User | None,
    provider: Provider | None = None,
    location: Location | None = None,
    subject_is_new: bool = False,
    request: Any = None,
) -> None:
    """Open the notification's case (`provider` and `location` when the caller has them
    already read, to save reading them again; `subject_is_new` when it was just sent)."""
    submitted_on = timezone.localdate(notification.submitted_at)
    casework.open_case(
        kind=CaseKind.NOTIFICATION,
        subject=notification,
        reference=notification.reference,
        title=_title(notification),
        type_slug=notification.type_slug,
        provider=provider or notification.provider,
        location=location if provider is not None else notification.location,
        urgency=notification.urgency,
        deadline=service_deadline(notification.urgency, submitted_on),
        actor=actor,
        opened_at=notification.submitted_at,
        subject_is_new=subject_is_new,
        request=request,
    )


def follow(notification: Notification, action: str, *, actor: User | None) -> None:
    """Move the notification's cases after the lifecycle `action` (already taken): both of
    its cases are read and locked in one statement."""
    cases = casework.cases_of(notification)
    case = cases.get(CaseKind.NOTIFICATION)
    if action == "provider_update":
        # New information puts a closed notification back in front of the regulator.
        if case is None or case.status == CaseStatus.CLOSED:
            open_for(notification, actor=actor)
        overdue = cases.get(CaseKind.OVERDUE_UPDATE)
        if notification.next_due_on is None and overdue is not None:
            casework.close_case(case_id=overdue, actor=actor, reason="Update received")
        return
    if case is None:
        return
    if action in _CLOSING:
        casework.close_case(case_id=case, actor=actor, reason=action)
    elif action == "ask_question":
        casework.stop_clock(case_id=case, actor=actor)
    elif action == "questions_answered":
        casework.restart_clock(case_id=case, actor=actor)
    elif action == "mark_reviewed":
        casework.update_case(case_id=case, actor=actor, status=CaseStatus.IN_PROGRESS)


def open_overdue_update(notification: Notification) -> None:
    """The provider owes an update (e.g. "tell us when the person returns") past its date."""
    casework.open_case(
        kind=CaseKind.OVERDUE_UPDATE,
        subject=notification,
        reference=notification.reference,
        title=f"Overdue: {notification.next_due_label}"[:200],
        type_slug=notification.type_slug,
        provider=notification.provider,
        location=notification.location,
        urgency=notification.urgency,
        deadline=service_deadline(notification.urgency, timezone.localdate()),
        actor=None,
    )


def _staff_page(case: Any) -> str:
    return reverse("notifications_staff:detail", args=[case.reference])


subject_link(
    Notification._meta.label_lower,
    "Open the notification",
    _staff_page,
    requires=StaffPermission.VIEW_NOTIFICATIONS_QUEUE,
)


def backfill() -> int:
    """A case for each notification without one, as it would have been opened and moved."""
    missing = Notification.objects.exclude(
        has_case(Notification, CaseKind.NOTIFICATION)
    ).select_related("provider", "location", "submitted_by")
    opened = 0
    for notification in missing.iterator():
        with transaction.atomic():
            open_for(notification, actor=None)
            if notification.status == NotificationStatus.INFORMATION_REQUESTED:
                follow(notification, "ask_question", actor=None)
            elif notification.status == NotificationStatus.REVIEWED:
                follow(notification, "mark_reviewed", actor=None)
            elif notification.status not in OPEN_STATUSES:
                follow(notification, "close", actor=None)
        opened += 1
    return opened


register_backfill("notifications", backfill)
