"""The webhook pages for tests/support/signed_in_pages.py: an endpoint of provider P (made by
its nominated individual, who manages the whole team) with a failed delivery in its log, a
GET of each page, and the main POST of each on fresh objects."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from portal.webhooks import services
from portal.webhooks.events import EventType
from portal.webhooks.models import Delivery, DeliveryStatus, Endpoint
from portal.webhooks.signing import new_secret, seal

EXCLUDED_WEBHOOK_PAGES = {
    "webhooks:dev_receiver": "development only: the demo endpoint's receiver (a POST from "
    "the worker, 404 elsewhere), not a page",
}
_made = [0]


def _fresh_endpoint(provider: Any, user: Any) -> Endpoint:
    """Straight into the table: the measured POSTs need more than a provider may register."""
    _made[0] += 1
    return Endpoint.objects.create(
        provider=provider,
        url=f"https://records{_made[0]}.sunrise.example/hooks",
        description="Care records",
        events=[EventType.APPLICATION_STAGE_CHANGED.value],
        sealed_secret=seal(new_secret()),
        created_by=user,
    )


def _failed_delivery(endpoint: Endpoint) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        event_type=EventType.TEST.value,
        payload={"type": "webhook.test", "timestamp": "", "data": {}},
        status=DeliveryStatus.FAILED,
        attempts=1,
        last_response_code=410,
        next_attempt_at=timezone.now(),
    )


def add_webhooks(objects: dict[str, Any], provider: Any, user: Any) -> None:
    endpoint = _fresh_endpoint(provider, user)
    objects["webhook_endpoint"] = endpoint
    objects["webhook_delivery"] = _failed_delivery(endpoint)


def webhook_visits(objects: dict[str, Any], each: Any, provider: Any) -> None:
    p = {"provider_id": provider.pk}
    endpoint = {**p, "endpoint_id": objects["webhook_endpoint"].pk}
    each("webhooks:endpoints", ("ni",), kwargs=p)
    each("webhooks:add_endpoint", ("ni",), kwargs=p)
    for name in ("endpoint", "rotate_secret", "delete_endpoint"):
        each(f"webhooks:{name}", ("ni",), kwargs=endpoint)


def webhook_posts(
    each: Callable[..., None], post: Callable[..., Any], world_provider: Callable[[Any], Any]
) -> None:
    """`each(name, prepare, actors)`; `post(name, actor, **options)` makes the Visit."""

    def on_fresh(name: str, **data: Any) -> Callable[[Any, str], Any]:
        def prepare(world: Any, actor: str) -> Any:
            provider = world_provider(world)
            endpoint = _fresh_endpoint(provider, world.users[actor])
            kwargs = {"provider_id": provider.pk, "endpoint_id": endpoint.pk}
            if name == "resume_endpoint":
                services.pause_endpoint(
                    provider_id=provider.pk, endpoint_id=endpoint.pk, actor=world.users[actor]
                )
            if name == "send_again":
                kwargs["delivery_id"] = _failed_delivery(endpoint).pk
            if name == "rotate_secret":
                data["version"] = endpoint.secret_version
            return post(f"webhooks:{name}", actor, kwargs=kwargs, data=data)

        return prepare

    def add(world: Any, actor: str) -> Any:
        _made[0] += 1
        return post(
            "webhooks:add_endpoint",
            actor,
            # P2 (the same nominated individual): P's endpoints are at the limit by now.
            kwargs={"provider_id": world.p2.pk},
            data={
                "url": f"https://new{_made[0]}.sunrise.example/hooks",
                "events": [EventType.QUESTION_ASKED.value],
            },
        )

    each("webhooks:add_endpoint", add, ("ni",))
    for name in (
        "pause_endpoint",
        "resume_endpoint",
        "send_test_event",
        "rotate_secret",
        "delete_endpoint",
        "send_again",
    ):
        each(f"webhooks:{name}", on_fresh(name), ("ni",))
