"""A notification's page (the provider's and the regulator's) reads its thread and its status
changes: each query compiled once (portal.compiled_queries), since building them, with their
joins, cost the page more than PostgreSQL took to answer them."""

from portal.compiled_queries import CompiledObjects
from portal.notifications.models import MessageKind, Notification, NotificationMessage
from portal.workflow.models import StatusChange

# The thread without its status rows (those are the timeline's).
_THREAD = CompiledObjects(
    lambda notification_id: (
        NotificationMessage.objects.filter(notification_id=notification_id)
        .exclude(kind=MessageKind.STATUS)
        .select_related("author")
    ),
    {"notification_id": (-1, -2)},
    prepared=True,
)
# workflow.selectors.timeline's query for a notification.
_TIMELINE = CompiledObjects(
    lambda subject_id: StatusChange.objects.filter(
        subject_type=Notification._meta.label_lower, subject_id=subject_id
    ).select_related("actor"),
    {"subject_id": ("-1", "-2")},
    prepared=True,
)


def thread_of(notification: Notification) -> list[NotificationMessage]:
    return _THREAD.objects(notification_id=notification.pk)


def status_changes_of(notification: Notification) -> list[StatusChange]:
    return _TIMELINE.objects(subject_id=str(notification.pk))
