import uuid

from django.conf import settings
from django.db import models

from portal.webhooks.signing import unseal


class EndpointStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"


class PauseReason(models.TextChoices):
    NONE = "", "Not paused"
    BY_PERSON = "by_person", "Paused by a team manager"
    FAILURES = "failures", "Paused after repeated failed deliveries"


class Endpoint(models.Model):
    """An HTTPS address of a provider's care-record software that receives signed events.

    The signing secret is needed to sign, so it is kept, sealed (signing.seal), and never
    shown again after creation or rotation; after a rotation the previous secret also signs
    until `previous_secret_until`, so receivers can switch without losing events.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    sealed_secret = models.CharField(max_length=255)
    sealed_previous_secret = models.CharField(max_length=255, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # Counts rotations: a rotation form names the one it was shown for, so a replayed or
    # concurrent second post does not rotate again and hide the secret just shown.
    secret_version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=EndpointStatus.choices, default=EndpointStatus.ACTIVE
    )
    pause_reason = models.CharField(
        max_length=20, choices=PauseReason.choices, default=PauseReason.NONE, blank=True
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "url"], name="webhook_endpoint_unique_url")
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_paused(self) -> bool:
        return self.status == EndpointStatus.PAUSED

    @property
    def secret(self) -> str:
        return unseal(self.sealed_secret)

    @property
    def previous_secret(self) -> str:
        return unseal(self.sealed_previous_secret)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one endpoint: written in the same transaction as the event's cause and
    sent by the worker. `sequence` orders an endpoint's deliveries: the worker sends the
    oldest pending one first and nothing newer until it is delivered or has failed."""

    sequence = models.BigAutoField(primary_key=True)
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["endpoint", "status", "sequence"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.status})"

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same on every attempt, so receivers can drop repeats."""
        return f"msg_{self.message_id.hex}"
