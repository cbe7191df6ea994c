"""Notification status moves to the workflow: a guarded status field, and a status-change
row for what is known of each existing notification's history (so no timeline is empty).

The history is rebuilt from the thread: sending, each question (information requested),
each update (back to new), the last answer to open questions (back to new) and each
decision message. Where that does not end in the notification's current status, one more
row records the status as it was found.
"""

from django.db import migrations

import portal.workflow.fields

SUBJECT = "notifications.notification"
DECISION_ACTIONS = {
    "reviewed": "mark_reviewed",
    "closed": "close",
    "accepted": "accept",
    "rejected": "reject",
}
BATCH = 2000


def _history(notification, messages, StatusChange):
    rows = []

    def add(action, to_status, author, at, reason=""):
        from_status = rows[-1].to_status if rows else ""
        rows.append(
            StatusChange(
                subject_type=SUBJECT,
                subject_id=str(notification.pk),
                action=action,
                from_status=from_status,
                to_status=to_status,
                actor_id=author.pk if author else None,
                actor_label=author.email if author else "system",
                reason=reason,
                at=at,
            )
        )

    add("submit", "submitted", notification.submitted_by, notification.submitted_at)
    asked = answered = 0
    for message in messages:
        status = rows[-1].to_status
        if message.kind == "question":
            asked += 1
            add("ask_question", "information_requested", message.author, message.created_at)
        elif message.kind == "update":
            add("provider_update", "submitted", message.author, message.created_at)
        elif message.kind == "answer":
            answered += 1
            if status == "information_requested" and answered >= asked:
                add("questions_answered", "submitted", message.author, message.created_at)
        elif message.kind == "status":
            to_status = (message.answers or {}).get("status", "")
            if to_status in DECISION_ACTIONS:
                add(
                    DECISION_ACTIONS[to_status],
                    to_status,
                    message.author,
                    message.created_at,
                    message.body,
                )
    if rows[-1].to_status != notification.status:
        add(
            "recorded",
            notification.status,
            None,
            notification.last_activity_at,
            "Status as found when the status history began",
        )
    return rows


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    NotificationMessage = apps.get_model("notifications", "NotificationMessage")
    StatusChange = apps.get_model("workflow", "StatusChange")
    notifications = Notification.objects.select_related("submitted_by").order_by("pk")
    last = 0
    while batch := list(notifications.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        threads = {}
        messages = (
            NotificationMessage.objects.filter(notification_id__in=[n.pk for n in batch])
            .select_related("author")
            .order_by("created_at", "id")
        )
        for message in messages:
            threads.setdefault(message.notification_id, []).append(message)
        StatusChange.objects.bulk_create(
            [
                row
                for notification in batch
                for row in _history(notification, threads.get(notification.pk, []), StatusChange)
            ]
        )


def backwards(apps, schema_editor):
    StatusChange = apps.get_model("workflow", "StatusChange")
    StatusChange.objects.filter(subject_type=SUBJECT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_staff_queue_indexes"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="status",
            field=portal.workflow.fields.StatusField(
                choices=[
                    ("submitted", "New"),
                    ("information_requested", "Information requested"),
                    ("reviewed", "Reviewed"),
                    ("accepted", "Accepted"),
                    ("rejected", "Rejected"),
                    ("closed", "Closed"),
                ],
                default="submitted",
                max_length=30,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
