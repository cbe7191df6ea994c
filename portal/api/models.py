"""API keys (a principal for the one access function) and the stored answers to
idempotent requests."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.accounts.models import User


class ApiKey(models.Model):
    """One key for care-record software: one provider, optionally some of its locations, and
    some delegable permissions. Only an HMAC of the secret is kept (shown once, at creation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=80)
    # Empty: the whole provider. Location ids, not rows: the scope is what the creator chose,
    # and the access function checks each location's registration at every request.
    location_ids = models.JSONField(default=list, blank=True)
    permissions = models.JSONField(default=list)
    # The first characters of the key, shown to tell keys apart ("ppk_1a2b3c4d…").
    prefix = models.CharField(max_length=16)
    secret_hmac = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Per-key rate limit: requests counted in the current fixed window.
    rate_window_start = models.DateTimeField(null=True, blank=True)
    rate_window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="api_key_expires_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ApiKeyActor(User):
    """The key's creator as the actor of what the key does: the same person (their email is
    the submitter, their account the author), but access is narrowed to the key's scope
    (`api_key_scope`, read by portal.organisations.access) and the audit log names the key."""

    class Meta:
        proxy = True

    def get_username(self) -> str:
        key = getattr(self, "api_key", None)
        label = f" (API key {key.name} {key.prefix}…)" if key is not None else ""
        return f"{self.email}{label}"


class IdempotentRequest(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed to every retry."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
