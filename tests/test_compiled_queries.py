"""Queries compiled once per alias answer as the ORM does: the API key with its
creator, a location with its activities and service types; a query whose SQL depends on
its values is run through the ORM instead."""

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.api import keys
from portal.api.auth import _key_by_hmac
from portal.api.models import ApiKey
from portal.compiled_queries import CompiledRows
from portal.register.location_kinds import location_with_kinds
from portal.register.models import Location
from tests import factories as f
from tests.api.conftest import make_key


def _key_secret() -> str:
    provider = f.make_provider()
    creator = f.nominated_individual(provider, given="Nina")
    return make_key(creator, provider, ["submit_notifications"], name="Care records")


def test_the_key_and_its_creator_are_the_orm_instances(db):
    secret = _key_secret()
    by_orm = ApiKey.objects.select_related("created_by").get(secret_hmac=keys.secret_hmac(secret))
    key = _key_by_hmac(keys.secret_hmac(secret))
    assert key is not None
    for field in ApiKey._meta.concrete_fields:
        assert getattr(key, field.attname) == getattr(by_orm, field.attname), field.name
    assert key.permissions == ["submit_notifications"]  # JSON, converted as the ORM does
    with CaptureQueriesContext(connection) as queries:
        creator = key.created_by
    assert not queries.captured_queries
    for field in type(creator)._meta.concrete_fields:
        assert getattr(creator, field.attname) == getattr(by_orm.created_by, field.attname)
    assert creator.person_id is not None
    assert _key_by_hmac(keys.secret_hmac(secret + "x")) is None


def test_a_location_comes_with_its_activities_and_service_types(db):
    provider = f.make_provider()
    location = f.make_location(
        provider,
        activities=("Personal care", "Accommodation"),
        service_types=("Domiciliary care service", "Doctors consultation service"),
    )
    bare = f.make_location(provider)
    by_orm = Location.objects.prefetch_related("activities", "service_types").get(pk=location.pk)
    with CaptureQueriesContext(connection) as queries:
        found = location_with_kinds(provider.pk, location.pk)
        assert found is not None
        assert found.name == location.name
        assert list(found.activities.all()) == list(by_orm.activities.all())
        assert list(found.service_types.all()) == list(by_orm.service_types.all())
        assert len(list(found.activities.all())) == 2
    assert len(queries.captured_queries) == 3
    empty = location_with_kinds(provider.pk, bare.pk)
    assert empty is not None
    assert list(empty.activities.all()) == []
    # Another provider's location, or none: nothing.
    assert location_with_kinds(f.make_provider().pk, location.pk) is None
    assert location_with_kinds(provider.pk, "1-0000000000") is None


def _names_revoked_at(at: dt.datetime | None) -> Any:
    return ApiKey.objects.filter(revoked_at=at).values_list("name")


def test_a_query_whose_sql_depends_on_its_values_runs_through_the_orm(db):
    _key_secret()
    revoked_at = timezone.now() - dt.timedelta(days=1)
    ApiKey.objects.update(revoked_at=revoked_at)
    # None compiles to IS NULL, not a parameter: the two stand-ins give different SQL.
    by_orm = CompiledRows(_names_revoked_at, {"at": (revoked_at + dt.timedelta(days=9), None)})
    assert by_orm.rows(at=revoked_at) == [("Care records",)]
    assert by_orm.rows(at=None) == []
    assert by_orm._by_alias["default"] is None
    days = (dt.datetime(1901, 1, 1, tzinfo=dt.UTC), dt.datetime(1902, 1, 1, tzinfo=dt.UTC))
    revoked_field = ApiKey._meta.get_field("revoked_at")  # SQLite is sent text
    compiled = CompiledRows(_names_revoked_at, {"at": days}, fields={"at": revoked_field})
    assert compiled.rows(at=revoked_at) == [("Care records",)]
    assert compiled.rows(at=revoked_at + dt.timedelta(seconds=1)) == []
    assert compiled._by_alias["default"] is not None
