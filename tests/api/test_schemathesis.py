"""Schemathesis against the live schema, in process (WSGI): no server error and no response
that breaks the schema, for every operation, with a whole-provider key of its own."""

import uuid

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.api.conftest import make_key
from tests.factories.notifications import submit

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def api_key(api_world):
    submit("death", api_world.nominated, api_world.location)
    return make_key(api_world.nominated, api_world.provider)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, api_key, settings_overrides):
    # Each new request a new Idempotency-Key, as the schema asks (schemathesis would reuse
    # one generated value with other bodies, rightly refused as api.idempotency_key_reused).
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"})


@pytest.fixture
def settings_overrides(settings):
    """No rate limit, and (as Django's test client does) the connection stays open between
    requests, inside the test's transaction."""
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield settings
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
