"""A provider with a nominated individual (who manages the whole team), a staff member, a
real loopback receiver, and an endpoint of the provider pointing at it."""

from dataclasses import dataclass
from typing import Any

import pytest

from portal.accounts.models import User
from portal.register.models import Location, Provider
from portal.webhooks import services
from portal.webhooks.events import SUBSCRIBABLE
from portal.webhooks.models import Endpoint
from tests import factories as f
from tests.support.webhook_receiver import WebhookReceiver


@dataclass
class Hooks:
    provider: Provider
    location: Location
    manager: User  # nominated individual: manages the whole team
    location_manager: User  # registered manager: manages one location's team only
    staff: User


@pytest.fixture
def hooks(db: Any, settings: Any) -> Hooks:
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0  # retries are due at once; tests call the worker
    provider = f.make_provider(name="Sunrise Care")
    location = f.make_location(provider, name="Sunrise House")
    return Hooks(
        provider=provider,
        location=location,
        manager=f.nominated_individual(provider, given="Nina"),
        location_manager=f.registered_manager(location, given="Rita"),
        staff=f.staff_member(),
    )


def make_endpoint(hooks: Hooks, receiver: WebhookReceiver, **overrides: Any) -> Endpoint:
    """An endpoint for every event, pointing at the receiver, which knows its secret."""
    created = services.create_endpoint(
        provider_id=hooks.provider.pk,
        actor=hooks.manager,
        url=overrides.pop("url", receiver.url),
        description=overrides.pop("description", "Care records"),
        events=overrides.pop("events", [event.value for event in SUBSCRIBABLE]),
    )
    receiver.secret = created.secret
    return created.endpoint


@pytest.fixture
def endpoint(hooks: Hooks, receiver: WebhookReceiver) -> Endpoint:
    return make_endpoint(hooks, receiver)
