"""The only code that writes webhook endpoints and deliveries. Keyword-only, atomic, audited,
emails to the team's managers through the outbox in the same transaction.

Other domains call `emit(...)` inside their own transactions: one delivery row per subscribed
endpoint, and a task to send them, commit with the change or not at all (delivery.py)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.register.models import Provider
from portal.webhooks.addresses import clean_url
from portal.webhooks.audit_verbs import WebhooksVerb
from portal.webhooks.common import audit_endpoint, email_managers, pause
from portal.webhooks.delivery import enqueue_endpoint
from portal.webhooks.errors import WebhookError, WebhookErrorCode
from portal.webhooks.events import SUBSCRIBABLE, EventType, checked_payload
from portal.webhooks.models import (
    Delivery,
    DeliveryStatus,
    Endpoint,
    EndpointStatus,
    PauseReason,
)
from portal.webhooks.signing import new_secret, seal

MAX_DESCRIPTION_LENGTH = 200


@dataclass(frozen=True)
class WithSecret:
    """An endpoint and its new signing secret, which is shown once and never again."""

    endpoint: Endpoint
    secret: str


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise WebhookError(WebhookErrorCode.NO_EVENTS)
    if any(event not in SUBSCRIBABLE for event in chosen):
        raise WebhookError(WebhookErrorCode.UNKNOWN_EVENT)
    return [event.value for event in SUBSCRIBABLE if event.value in chosen]


@transaction.atomic
def create_endpoint(
    *,
    provider_id: str,
    actor: User,
    url: str,
    description: str,
    events: Iterable[str],
    request: HttpRequest | None = None,
) -> WithSecret:
    cleaned_url = clean_url(url)
    description = description.strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise WebhookError(WebhookErrorCode.DESCRIPTION_TOO_LONG, limit=MAX_DESCRIPTION_LENGTH)
    chosen = _clean_events(events)
    # The provider's row serialises registrations, so two at once cannot both pass the
    # duplicate and count checks.
    provider = Provider.objects.select_for_update().get(pk=provider_id)
    registered = list(Endpoint.objects.filter(provider=provider).values_list("url", flat=True))
    if cleaned_url in registered:
        raise WebhookError(WebhookErrorCode.URL_ALREADY_REGISTERED)
    limit = settings.WEBHOOKS_MAX_ENDPOINTS_PER_PROVIDER
    if len(registered) >= limit:
        raise WebhookError(WebhookErrorCode.TOO_MANY_ENDPOINTS, limit=limit)
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        provider=provider,
        url=cleaned_url,
        description=description,
        events=chosen,
        sealed_secret=seal(secret),
        created_by=actor,
    )
    audit_endpoint(
        WebhooksVerb.ENDPOINT_CREATED, endpoint, actor=actor, request=request, events=chosen
    )
    email_managers(endpoint, "webhooks_endpoint_added", by=actor.email)
    return WithSecret(endpoint, secret)


def _locked(provider_id: str, endpoint_id: Any) -> Endpoint:
    endpoint = (
        Endpoint.objects.select_for_update(no_key=True, of=("self",))
        .select_related("provider")
        .filter(provider_id=provider_id, pk=endpoint_id)
        .first()
    )
    if endpoint is None:
        raise WebhookError(WebhookErrorCode.NOT_FOUND)
    return endpoint


@transaction.atomic
def rotate_secret(
    *,
    provider_id: str,
    endpoint_id: Any,
    shown_version: int,
    actor: User,
    request: HttpRequest | None = None,
) -> WithSecret | None:
    """A new secret; the old one still signs for a while. None when the form was for a
    version already rotated (a replayed or concurrent post): nothing changes."""
    endpoint = _locked(provider_id, endpoint_id)
    if shown_version != endpoint.secret_version:
        return None
    endpoint.sealed_previous_secret = endpoint.sealed_secret
    endpoint.previous_secret_until = timezone.now() + dt.timedelta(
        hours=settings.WEBHOOKS_PREVIOUS_SECRET_HOURS
    )
    secret = new_secret()
    endpoint.sealed_secret = seal(secret)
    endpoint.secret_version += 1
    endpoint.save()
    audit_endpoint(WebhooksVerb.SECRET_ROTATED, endpoint, actor=actor, request=request)
    return WithSecret(endpoint, secret)


@transaction.atomic
def pause_endpoint(
    *, provider_id: str, endpoint_id: Any, actor: User, request: HttpRequest | None = None
) -> Endpoint:
    endpoint = _locked(provider_id, endpoint_id)
    if not endpoint.is_paused:  # pausing twice is the same as pausing once
        pause(endpoint, reason=PauseReason.BY_PERSON, actor=actor, request=request)
    return endpoint


@transaction.atomic
def resume_endpoint(
    *, provider_id: str, endpoint_id: Any, actor: User, request: HttpRequest | None = None
) -> Endpoint:
    endpoint = _locked(provider_id, endpoint_id)
    if endpoint.is_paused:
        endpoint.status = EndpointStatus.ACTIVE
        endpoint.pause_reason = PauseReason.NONE
        endpoint.consecutive_failures = 0
        endpoint.save(
            update_fields=["status", "pause_reason", "consecutive_failures", "updated_at"]
        )
        audit_endpoint(WebhooksVerb.ENDPOINT_RESUMED, endpoint, actor=actor, request=request)
        # What waited while it was paused goes now, oldest first.
        Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        enqueue_endpoint(endpoint.pk)
    return endpoint


@transaction.atomic
def delete_endpoint(
    *, provider_id: str, endpoint_id: Any, actor: User, request: HttpRequest | None = None
) -> bool:
    """False when it was already deleted (a replayed post)."""
    endpoint = (
        Endpoint.objects.select_for_update(of=("self",))
        .select_related("provider")
        .filter(provider_id=provider_id, pk=endpoint_id)
        .first()
    )
    if endpoint is None:
        return False
    audit_endpoint(WebhooksVerb.ENDPOINT_DELETED, endpoint, actor=actor, request=request)
    email_managers(endpoint, "webhooks_endpoint_deleted", by=actor.email)
    endpoint.delete()
    return True


def _new_delivery(endpoint: Endpoint, event_type: EventType, data: dict[str, Any]) -> Delivery:
    now = timezone.now()
    return Delivery(
        endpoint=endpoint,
        event_type=event_type.value,
        payload={"type": event_type.value, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
    )


def emit(*, provider_id: str, event_type: EventType, data: dict[str, Any]) -> int:
    """Record `event_type` for every endpoint of the provider subscribed to it, in the
    caller's transaction; the worker sends them. Returns how many deliveries were written."""
    # A provider has a handful of endpoints at most (capped), so they are filtered here,
    # which also works on SQLite (no JSON containment there).
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(provider_id=provider_id)
        if event_type.value in endpoint.events
    ]
    if not endpoints:
        return 0
    payload = checked_payload(event_type, data)
    with transaction.atomic(savepoint=False):
        Delivery.objects.bulk_create(
            [_new_delivery(endpoint, event_type, payload) for endpoint in endpoints]
        )
        for endpoint in endpoints:
            if not endpoint.is_paused:
                enqueue_endpoint(endpoint.pk)
    return len(endpoints)


@transaction.atomic
def send_test_event(
    *, provider_id: str, endpoint_id: Any, actor: User, request: HttpRequest | None = None
) -> Delivery:
    endpoint = _locked(provider_id, endpoint_id)
    if endpoint.is_paused:
        raise WebhookError(WebhookErrorCode.PAUSED)
    data = checked_payload(
        EventType.TEST,
        {"endpoint_id": str(endpoint.pk), "message": "A test event from the Provider Portal"},
    )
    delivery = _new_delivery(endpoint, EventType.TEST, data)
    delivery.save()
    audit_endpoint(
        WebhooksVerb.TEST_SENT, endpoint, actor=actor, request=request, delivery=delivery.webhook_id
    )
    enqueue_endpoint(endpoint.pk)
    return delivery


@transaction.atomic
def send_again(
    *,
    provider_id: str,
    endpoint_id: Any,
    delivery_id: Any,
    actor: User,
    request: HttpRequest | None = None,
) -> Delivery:
    """A failed delivery goes again, with the same webhook-id (a receiver that did get it
    can tell). Sending again what is already waiting is refused, so a replay does nothing."""
    endpoint = _locked(provider_id, endpoint_id)
    delivery = (
        Delivery.objects.select_for_update().filter(endpoint=endpoint, pk=delivery_id).first()
    )
    if delivery is None:
        raise WebhookError(WebhookErrorCode.NOT_FOUND)
    if delivery.status != DeliveryStatus.FAILED:
        raise WebhookError(WebhookErrorCode.NOT_FAILED)
    if endpoint.is_paused:
        raise WebhookError(WebhookErrorCode.PAUSED)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    audit_endpoint(
        WebhooksVerb.DELIVERY_RESENT,
        endpoint,
        actor=actor,
        request=request,
        delivery=delivery.webhook_id,
    )
    enqueue_endpoint(endpoint.pk)
    return delivery
