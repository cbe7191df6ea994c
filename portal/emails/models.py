import uuid

from django.db import models


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: gave up after repeated errors"


class OutboxMessage(models.Model):
    """An email the portal has decided to send.

    Written in the same transaction as the change that causes it, so a message exists if and
    only if its cause committed. Delivery is a task; the sweeper re-queues anything overdue.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    to = models.EmailField(max_length=320)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    template = models.CharField(max_length=100)
    priority = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a receiving server can drop a rare duplicate."""
        return f"<{self.id}@provider-portal>"
