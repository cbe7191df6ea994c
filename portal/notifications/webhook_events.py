"""What notifications tell providers' webhook endpoints (portal.webhooks), from inside the
service's transaction: the event is recorded with the change or not at all."""

from typing import Any

from portal.notifications.models import Notification, NotificationMessage
from portal.webhooks.events import EventType
from portal.webhooks.services import emit


def _emit(notification: Notification, event_type: EventType, **details: Any) -> None:
    """An event about the notification: which one it is, then what happened to it."""
    summary = {
        "reference": notification.reference,
        "type": notification.type_slug,
        "status": str(notification.status),
        "location_id": notification.location_id,
    }
    emit(
        provider_id=notification.provider_id,
        event_type=event_type,
        data={"notification": summary, **details},
    )


def question_asked(notification: Notification, question: NotificationMessage) -> None:
    _emit(
        notification,
        EventType.QUESTION_ASKED,
        question_id=question.pk,
        question=question.body,
        asked_at=question.created_at.isoformat(),
    )


def decided(notification: Notification, action: str) -> None:
    _emit(
        notification,
        EventType.NOTIFICATION_DECIDED,
        action=action,
        reason=notification.decision_reason,
        decided_at=(notification.decided_at or notification.last_activity_at).isoformat(),
    )
