"""Queries compiled once per alias answer as the ORM does: the API key with its
creator, a location with its activities and service types; a query whose SQL depends on
its values is run through the ORM instead."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.api import keys
from portal.api.auth import _key_by_hmac
from portal.api.models import ApiKey
from portal.compiled_queries import CompiledObjects, CompiledRows, _prepared_in
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


def _key_names(secret_hmac: str) -> Any:
    # A constant with percent signs (a LIKE pattern) is written into the prepared statement,
    # where the driver must not take them for placeholders.
    keys = ApiKey.objects.filter(secret_hmac=secret_hmac).exclude(name__startswith="100%")
    return keys.values_list("name", "permissions")


def _prepared_key_names() -> CompiledRows:
    return CompiledRows(
        _key_names, {"secret_hmac": ("-stand-in-1-", "-stand-in-2-")}, prepared=True
    )


def test_a_prepared_query_is_prepared_once_per_session_and_answers_as_the_orm(db):
    secret_hmac = keys.secret_hmac(_key_secret())
    other = _key_secret()
    by_orm = [tuple(row) for row in _key_names(secret_hmac)]
    assert by_orm == [("Care records", ["submit_notifications"])]  # JSON converted
    compiled = _prepared_key_names()
    with CaptureQueriesContext(connection) as queries:
        first = compiled.rows(secret_hmac=secret_hmac)
        again = compiled.rows(secret_hmac=secret_hmac)
        another = compiled.rows(secret_hmac=keys.secret_hmac(other))
        none = compiled.rows(secret_hmac="no such key")
    assert first == again == by_orm
    assert another == by_orm
    assert none == []
    sent = [query["sql"] for query in queries.captured_queries]
    assert len(sent) == 4  # preparing costs no statement of its own
    if connection.vendor != "postgresql":
        return
    assert sent[0].startswith("PREPARE portal_")
    assert "; EXECUTE portal_" in sent[0]
    assert all(sql.startswith("EXECUTE portal_") for sql in sent[1:])
    name = compiled._statements["default"].name
    assert sent[1] == f"EXECUTE {name}('{secret_hmac}')"  # the values only
    # A rollback does not undo PREPARE: the session still has it.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
    del _prepared_in[connection.connection][name]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert compiled.rows(secret_hmac=secret_hmac) == by_orm
        transaction.set_rollback(True)
    assert queries.captured_queries[0]["sql"].startswith("PREPARE portal_")
    with CaptureQueriesContext(connection) as queries:
        assert compiled.rows(secret_hmac=secret_hmac) == by_orm
    assert queries.captured_queries[0]["sql"].startswith("EXECUTE portal_")


def test_a_session_where_preparing_failed_runs_the_plain_statement(db):
    secret_hmac = keys.secret_hmac(_key_secret())
    compiled = _prepared_key_names()
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    compiled.rows(secret_hmac=secret_hmac)
    name = compiled._statements["default"].name
    assert _prepared_in[connection.connection][name] is True
    # As if a pooler or another tool dropped it: the session knows the name already, so
    # forget it here and make it fail the way a clash would.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
        cursor.execute(f"PREPARE {name} AS SELECT 1")
    del _prepared_in[connection.connection][name]
    with pytest.raises(DatabaseError), transaction.atomic():
        compiled.rows(secret_hmac=secret_hmac)  # "already exists"
    assert _prepared_in[connection.connection][name] is False
    with CaptureQueriesContext(connection) as queries:
        assert compiled.rows(secret_hmac=secret_hmac) == [
            ("Care records", ["submit_notifications"])
        ]
    assert queries.captured_queries[0]["sql"].startswith("SELECT")


def _keys_by_name(name: str) -> Any:
    return ApiKey.objects.select_related("provider", "created_by", "revoked_by").filter(name=name)


def _fields_of(instance: Any) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_compiled_objects_are_the_orm_instances_with_their_related_ones(db):
    _key_secret()
    revoked = _key_secret()
    staff = f.make_user(email="revoker@example.org")
    ApiKey.objects.filter(secret_hmac=keys.secret_hmac(revoked)).update(
        revoked_at=timezone.now(), revoked_by=staff
    )
    compiled = CompiledObjects(
        _keys_by_name, {"name": ("-stand-in-1-", "-stand-in-2-")}, prepared=True
    )
    by_orm = sorted(_keys_by_name("Care records"), key=lambda key: key.pk)
    found = sorted(compiled.objects(name="Care records"), key=lambda key: key.pk)
    assert [_fields_of(key) for key in found] == [_fields_of(key) for key in by_orm]
    assert {key._state.db for key in found} == {"default"}
    with CaptureQueriesContext(connection) as queries:
        for key, orm_key in zip(found, by_orm, strict=True):
            assert _fields_of(key.provider) == _fields_of(orm_key.provider)
            assert _fields_of(key.created_by) == _fields_of(orm_key.created_by)
            # A relation that is NULL is read as None, with no query.
            assert (key.revoked_by is None) == (orm_key.revoked_by is None)
    assert not queries.captured_queries
    assert [key.revoked_by.email for key in found if key.revoked_by] == ["revoker@example.org"]
    assert compiled.objects(name="no such key") == []
    # A queryset whose SQL depends on its values is run through the ORM instead.
    by_orm_only = CompiledObjects(_keys_by_name, {"name": ("-stand-in-1-", None)})
    assert len(by_orm_only.objects(name="Care records")) == 2
    assert by_orm_only._by_alias["default"] is None


def test_one_by_key_is_the_orm_instance_or_none(db):
    secret = _key_secret()
    by_orm = ApiKey.objects.select_related("created_by").get(secret_hmac=keys.secret_hmac(secret))
    stand_ins = (uuid.UUID(int=1), uuid.UUID(int=2))
    by_key = CompiledObjects.by_key(ApiKey.objects.select_related("created_by"), stand_ins)
    found = by_key.one(by_orm.pk)
    assert _fields_of(found) == _fields_of(by_orm)
    assert _fields_of(found.created_by) == _fields_of(by_orm.created_by)
    assert by_key.one(uuid.uuid4()) is None
    assert by_key._by_alias["default"] is not None  # compiled, not run through the ORM
