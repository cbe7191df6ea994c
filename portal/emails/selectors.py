from django.db.models import QuerySet

from portal.emails.models import OutboxMessage


def recent_messages(*, limit: int = 50) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.order_by("-created_at")[:limit]


def message_by_id(message_id: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(id=message_id).first()
