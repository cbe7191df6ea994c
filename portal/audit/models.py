import uuid

from django.conf import settings
from django.db import models


class ActedBy(models.Model):
    """Who did something: their account (no database constraint, so a row outlives it) and
    a label that still reads after the account is gone ("system", "register import", an
    email address). Audit events and status changes both carry it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Who acted, as text, so the record still reads after an account is gone ("system",
    # "register import", an email address).
    actor_label = models.CharField(max_length=320)

    class Meta:
        abstract = True


class AuditEvent(ActedBy):
    """One thing that happened, by whom, to what. Insert-only: never updated or deleted.

    A trigger refuses UPDATE and DELETE (PostgreSQL and SQLite; see the audit migration), so
    not even a bug or a compromised web node can rewrite history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    verb = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta(ActedBy.Meta):
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.verb}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit events are insert-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are insert-only.")
