"""Sending deliveries (django-tasks), their retries, and the sweep that re-queues what a dead
worker left.

Order per endpoint: a task takes the endpoint's row lock (FOR NO KEY UPDATE, so events can
still be recorded meanwhile) and sends only the endpoint's oldest pending delivery; nothing
newer goes while that one waits for a retry. So one endpoint receives its events in the
order they happened, whichever worker sends them and however many tasks are queued.
Delivery is at least once: a worker that dies mid-request leaves the delivery pending (its
transaction rolls back) and it goes again with the same `webhook-id`.
"""

import datetime as dt
import email.utils
import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from portal.webhooks.addresses import RefusedAddress, resolve
from portal.webhooks.common import pause
from portal.webhooks.models import Delivery, DeliveryStatus, Endpoint, EndpointStatus, PauseReason
from portal.webhooks.signing import signature_header

logger = logging.getLogger(__name__)

# Deliveries one task sends before handing over to a fresh task (other work gets a turn).
DELIVERIES_PER_TASK = 20
USER_AGENT = "ProviderPortal-Webhooks/1"


@task()
def deliver_endpoint(endpoint_id: str) -> str:
    return deliver_next(endpoint_id)


def enqueue_endpoint(endpoint_id: Any, run_after: dt.datetime | None = None) -> None:
    options: dict[str, Any] = {"queue_name": settings.TASK_QUEUE_DEFAULT}
    if run_after is not None:
        options["run_after"] = run_after
    deliver_endpoint.using(**options).enqueue(str(endpoint_id))


def retry_delay(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """Exponential backoff with jitter after `attempts` failed attempts (3 min, 6 min, 12 min
    ... by default, each ±25%), never sooner than the receiver's Retry-After, capped."""
    base = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    seconds = max(base * random.uniform(0.75, 1.25), retry_after or 0)  # noqa: S311 (jitter)
    return dt.timedelta(seconds=min(seconds, settings.WEBHOOKS_RETRY_MAX_SECONDS))


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or nonsense."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - timezone.now()).total_seconds(), 0.0)


@dataclass(frozen=True)
class Attempt:
    delivered: bool
    retry: bool  # whether the same delivery should go again later
    code: int | None = None
    error: str = ""
    retry_after: float | None = None


def _secrets_in_use(endpoint: Endpoint) -> list[str]:
    in_use = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > timezone.now():
        in_use.append(endpoint.previous_secret)
    return in_use


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    """At most WEBHOOKS_MAX_RESPONSE_BYTES of the answer, within the total time allowed."""
    kept = b""
    for chunk in response.iter_bytes():
        kept += chunk
        if len(kept) >= settings.WEBHOOKS_MAX_RESPONSE_BYTES or time.monotonic() > deadline:
            break
    return kept[: settings.WEBHOOKS_MAX_RESPONSE_BYTES]


def post(endpoint: Endpoint, delivery: Delivery) -> Attempt:
    """One signed POST of the delivery to the endpoint, classified."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    try:
        target = resolve(endpoint.url)
    except RefusedAddress as refusal:
        return Attempt(delivered=False, retry=False, error=str(refusal))
    except ConnectionError as error:
        return Attempt(delivered=False, retry=True, error=str(error))
    headers = {
        "host": target.host_header,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            _secrets_in_use(endpoint),
            message_id=delivery.webhook_id,
            timestamp=timestamp,
            body=body,
        ),
    }
    total = settings.WEBHOOKS_TOTAL_TIMEOUT_SECONDS
    deadline = time.monotonic() + total
    timeout = httpx.Timeout(total, connect=settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST",
                target.url,
                content=body,
                headers=headers,
                extensions={"sni_hostname": target.server_name},
            ) as response,
        ):
            answer = _read_capped(response, deadline)
    except httpx.HTTPError as error:
        return Attempt(delivered=False, retry=True, error=f"{type(error).__name__}: {error}"[:500])
    code = response.status_code
    if 200 <= code < 300:
        return Attempt(delivered=True, retry=False, code=code)
    excerpt = answer[:200].decode("utf-8", errors="replace")
    return Attempt(
        delivered=False,
        retry=code in (408, 429) or code >= 500,
        code=code,
        error=f"HTTP {code}: {excerpt}"[:500],
        retry_after=_retry_after(response.headers.get("retry-after")),
    )


def _record(endpoint: Endpoint, delivery: Delivery, attempt: Attempt) -> str:
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_response_code = attempt.code
    delivery.last_error = attempt.error
    if attempt.delivered:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.save()
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
        return "delivered"
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures"])
    if attempt.retry:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts, attempt.retry_after)
    else:
        delivery.status = DeliveryStatus.FAILED
    delivery.save()
    if endpoint.consecutive_failures >= settings.WEBHOOKS_PAUSE_AFTER_FAILURES:
        logger.warning("Webhook endpoint %s paused after repeated failures", endpoint.pk)
        pause(endpoint, reason=PauseReason.FAILURES, actor=None)
        return "paused"
    if attempt.retry:
        enqueue_endpoint(endpoint.pk, run_after=delivery.next_attempt_at)
        return "retry"
    return "failed"


def deliver_one(endpoint_id: Any) -> str:
    """Send the endpoint's oldest pending delivery if it is due; say what happened."""
    with transaction.atomic():
        endpoint = (
            Endpoint.objects.select_for_update(no_key=True, of=("self",))
            .select_related("provider")
            .filter(pk=endpoint_id)
            .first()
        )
        if endpoint is None:
            return "missing"
        if endpoint.status != EndpointStatus.ACTIVE:
            return "paused"
        head = (
            Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING)
            .order_by("sequence")
            .first()
        )
        if head is None:
            return "idle"
        if head.next_attempt_at > timezone.now():
            return "waiting"  # its retry is queued for then; nothing newer may overtake it
        return _record(endpoint, head, post(endpoint, head))


def deliver_next(endpoint_id: Any) -> str:
    """Send the endpoint's due deliveries in order, a batch at a time."""
    outcome = "idle"
    for _ in range(DELIVERIES_PER_TASK):
        outcome = deliver_one(endpoint_id)
        if outcome not in ("delivered", "failed"):
            return outcome
    enqueue_endpoint(endpoint_id)
    return outcome


def _has_active_task(endpoint_id: str) -> bool:
    return DBTaskResult.objects.filter(
        task_path=deliver_endpoint.module_path,
        args_kwargs__args__0=endpoint_id,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


def requeue_overdue() -> int:
    """Sweep hook: an active endpoint with an overdue delivery and no task waiting or
    running (the task failed unexpectedly, or was removed) gets a task again."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.WEBHOOKS_SWEEP_AFTER_SECONDS)
    endpoint_ids = (
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lt=cutoff,
            endpoint__status=EndpointStatus.ACTIVE,
        )
        .order_by()
        .values_list("endpoint_id", flat=True)
        .distinct()[:500]
    )
    count = 0
    for endpoint_id in endpoint_ids:
        if not _has_active_task(str(endpoint_id)):
            enqueue_endpoint(endpoint_id)
            count += 1
    if count:
        logger.warning("Re-queued webhook deliveries for %s endpoint(s)", count)
    return count
