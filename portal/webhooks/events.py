"""The events an endpoint can subscribe to, and the schema of each one's `data`.

Every delivery's body is an envelope in the Standard Webhooks style:
`{"type": <event type>, "timestamp": <UTC ISO 8601>, "data": <the event's payload>}`.
Payloads are checked against their schema when emitted, so a receiver can rely on them.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class EventType(StrEnum):
    QUESTION_ASKED = "notification.question_asked"
    NOTIFICATION_DECIDED = "notification.decided"
    APPLICATION_STAGE_CHANGED = "application.stage_changed"
    # Sent by the "send a test event" button only; nobody subscribes to it.
    TEST = "webhook.test"


SUBSCRIBABLE = [
    EventType.QUESTION_ASKED,
    EventType.NOTIFICATION_DECIDED,
    EventType.APPLICATION_STAGE_CHANGED,
]

EVENT_LABELS: dict[EventType, str] = {
    EventType.QUESTION_ASKED: "We ask a question about a notification",
    EventType.NOTIFICATION_DECIDED: "We decide on or close a notification",
    EventType.APPLICATION_STAGE_CHANGED: "An application moves to another stage",
    EventType.TEST: "Test event",
}


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotificationSummary(_Payload):
    reference: str
    type: str
    status: str
    location_id: str | None


class QuestionAsked(_Payload):
    notification: NotificationSummary
    question_id: int
    question: str
    asked_at: str


class NotificationDecided(_Payload):
    notification: NotificationSummary
    action: str  # mark_reviewed, close, accept or reject
    reason: str
    decided_at: str


class ApplicationStageChanged(_Payload):
    reference: str
    application_id: str
    type: str
    location_id: str | None
    from_stage: str
    to_stage: str
    action: str
    changed_at: str


class TestEvent(_Payload):
    endpoint_id: str
    message: str


PAYLOADS: dict[EventType, type[_Payload]] = {
    EventType.QUESTION_ASKED: QuestionAsked,
    EventType.NOTIFICATION_DECIDED: NotificationDecided,
    EventType.APPLICATION_STAGE_CHANGED: ApplicationStageChanged,
    EventType.TEST: TestEvent,
}


def checked_payload(event_type: EventType, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as its schema says (a ValidationError for anything else: a bug)."""
    return PAYLOADS[event_type].model_validate(data).model_dump(mode="json")


def payload_schema(event_type: EventType) -> dict[str, Any]:
    """The JSON Schema of an event's `data` (shown in the README and on the pages)."""
    return PAYLOADS[event_type].model_json_schema()
