"""The one way to write to the audit log."""

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.operations.request_context import current_request_id

# Keys whose values must never reach the audit log, whatever a caller passes.
_SECRET_KEYS = {"password", "code", "token", "secret", "otp", "recovery_code", "totp"}


def _scrub(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if any(secret in key.lower() for secret in _SECRET_KEYS):
            clean[key] = "[withheld]"
        elif isinstance(value, dict):
            clean[key] = _scrub(value)
        else:
            clean[key] = value
    return clean


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    verb: str,
    actor: Any = None,
    actor_label: str | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction.

    `actor` is a user (or None for the system); `target` a model instance, or give
    `target_type` and `target_id` for things that are not rows.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    label: str = actor_label or (str(actor.email) if actor is not None else "system")
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=label,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        data=_scrub(data or {}),
        request_id=current_request_id(),
        ip_address=_client_ip(request),
    )
