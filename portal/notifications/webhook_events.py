"""What notifications tell providers' webhook endpoints (portal.webhooks), from inside the
service's transaction: the event is recorded with the change or not at all."""

from typing import Any

from portal.notifications.models import Notification, NotificationMessage
from portal.webhooks.events import EventType
from portal.webhooks.services import emit


def _summary(notification: Notification) -> dict[str, Any]:
    return {
        "reference": notification.reference,
        "type": notification.type_slug,
        "status": str(notification.status),
        "location_id": notification.location_id,
    }


def question_asked(notification: Notification, question: NotificationMessage) -> None:
    emit(
        provider_id=notification.provider_id,
        event_type=EventType.QUESTION_ASKED,
        data={
            "notification": _summary(notification),
            "question_id": question.pk,
            "question": question.body,
            "asked_at": question.created_at.isoformat(),
        },
    )


def decided(notification: Notification, action: str) -> None:
    emit(
        provider_id=notification.provider_id,
        event_type=EventType.NOTIFICATION_DECIDED,
        data={
            "notification": _summary(notification),
            "action": action,
            "reason": notification.decision_reason,
            "decided_at": (notification.decided_at or notification.last_activity_at).isoformat(),
        },
    )
