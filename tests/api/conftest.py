"""A provider with two locations, its nominated individual and a registered manager, another
provider, and helpers to make keys and call the API with them."""

import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from portal.accounts import sessions
from portal.accounts.models import User
from portal.api import keys
from portal.notifications import engine_contexts
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.samples import complete_answers
from portal.organisations.permissions import DELEGABLE_PERMISSIONS
from portal.register.models import Location, Provider
from tests import factories as f
from tests.support.browser import use_session_of


@dataclass
class ApiWorld:
    provider: Provider
    location: Location
    other_location: Location
    nominated: User
    manager: User
    other_provider: Provider
    other_location_elsewhere: Location
    other_nominated: User
    staff: User


@pytest.fixture
def api_world(db) -> ApiWorld:
    provider = f.make_provider(name="Sunrise Care")
    location = f.make_location(provider, name="Sunrise House")
    other_location = f.make_location(provider, name="Sunset House")
    other_provider = f.make_provider(name="Elsewhere Care")
    elsewhere = f.make_location(other_provider, name="Elsewhere House")
    return ApiWorld(
        provider=provider,
        location=location,
        other_location=other_location,
        nominated=f.nominated_individual(provider, given="Nina"),
        manager=f.registered_manager(location, given="Mandy"),
        other_provider=other_provider,
        other_location_elsewhere=elsewhere,
        other_nominated=f.nominated_individual(other_provider, given="Otto"),
        staff=f.staff_member(),
    )


_key_numbers = itertools.count(1)


def sign_in_recently(client: Client, user: User) -> None:
    """Signed in, with the password confirmed just now (the key pages ask for it)."""
    client.force_login(user)
    session = client.session
    session[sessions.REAUTH_AT] = time.time()
    session.save()


def browser_signed_in_recently(page: Any, live_server: Any, user: User) -> None:
    """The browser holds a session whose password was confirmed just now."""
    client = Client()
    sign_in_recently(client, user)
    use_session_of(page, live_server, client)


def create_key_on_the_form(page: Any, check: Callable[[Any], None]) -> str:
    """On the new key page: a key named Nourish that may send notifications at Sunrise House
    for 90 days. Returns its secret, read from the page that shows it once."""
    page.get_by_label("Name the key").fill("Nourish")
    page.get_by_label("Draft and submit notifications").check()
    page.get_by_label("Sunrise House").check()
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Create key").click()
    check(page)
    return str(page.get_by_label("API key").input_value())


def make_key(
    actor: User,
    provider: Provider,
    permissions: Any = None,
    locations: tuple[Location, ...] = (),
    days: int = 365,
    name: str = "",
) -> str:
    created = keys.create_key(
        actor=actor,
        provider=provider,
        name=name or f"Care records {next(_key_numbers)}",
        permissions=sorted(permissions or DELEGABLE_PERMISSIONS),
        location_ids=[location.pk for location in locations],
        expires_in_days=days,
    )
    return created.secret


def death_answers(location: Location, **overrides: Any) -> dict[str, Any]:
    """Complete, valid answers to a death notification, as the API takes them."""
    definition = CATALOGUE.require("death")
    context = engine_contexts.engine_context(definition, location.provider_id, location.pk)
    answers = complete_answers(definition, context, {"context.primary_medical": "no"})
    answers = {k: v for k, v in answers.items() if not k.startswith("context.")}
    answers.update(overrides)
    return answers


class Api:
    """Calls to /api/v1/ with one key (Django's test client, no cookies)."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.secret = secret

    def headers(self, idempotency_key: str | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.secret}"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers(None))

    def post(self, path: str, body: Any, idempotency_key: str | None = "") -> Any:
        key = str(uuid.uuid4()) if idempotency_key == "" else idempotency_key
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body) if not isinstance(body, bytes) else body,
            content_type="application/json",
            headers=self.headers(key),
        )


def submission(location: Location, **extra: Any) -> dict[str, Any]:
    return {
        "type": "death",
        "location_id": location.pk,
        "answers": death_answers(location),
        **extra,
    }
