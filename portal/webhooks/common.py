"""What the endpoint services and delivery share: the audit event of an endpoint, the
email to the provider's team managers, and pausing (by a person, or after failures)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.audit.services import record
from portal.emails.services import queue_emails
from portal.organisations.selectors import team_manager_users
from portal.webhooks.audit_verbs import WebhooksVerb
from portal.webhooks.models import Endpoint, EndpointStatus, PauseReason


def audit_endpoint(
    verb: WebhooksVerb,
    endpoint: Endpoint,
    *,
    actor: User | None,
    request: HttpRequest | None,
    **data: Any,
) -> None:
    record(
        verb=verb,
        actor=actor,
        actor_label=None if actor is not None else "system",
        target=endpoint,
        data={"provider": endpoint.provider_id, "url": endpoint.url, **data},
        request=request,
    )


def email_managers(endpoint: Endpoint, template: str, **context: Any) -> None:
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "webhooks:endpoints", kwargs={"provider_id": endpoint.provider_id}
    )
    queue_emails(
        to=[user.email for user in team_manager_users(endpoint.provider)],
        template=template,
        context={
            "provider_name": endpoint.provider.name,
            "url": endpoint.url,
            "link": link,
            **context,
        },
    )


def pause(
    endpoint: Endpoint,
    *,
    reason: PauseReason,
    actor: User | None,
    request: HttpRequest | None = None,
) -> None:
    """Pause a locked endpoint: deliveries wait (in order) until it is resumed."""
    endpoint.status = EndpointStatus.PAUSED
    endpoint.pause_reason = reason
    endpoint.save(update_fields=["status", "pause_reason", "updated_at"])
    audit_endpoint(
        WebhooksVerb.ENDPOINT_PAUSED, endpoint, actor=actor, request=request, reason=reason.value
    )
    email_managers(
        endpoint,
        "webhooks_endpoint_paused",
        by=actor.email if actor is not None else "",
        failures=endpoint.consecutive_failures,
    )
