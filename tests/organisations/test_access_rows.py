"""The access query compiled once per connection gives the rows the ORM query gives, for
members, registered people who are also members, and people whose roles have ended."""

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.organisations.access import access_for, forget_access, registered_roles
from portal.organisations.access_rows import _rows_query, access_rows
from portal.register.models import Location, RoleAssignment, RoleType
from tests.factories.organisations import give_access


def _by_orm(user):
    person_id = getattr(user, "person_id", None)
    return sorted(list(_rows_query(user.pk, person_id, timezone.localdate())), key=repr)


def test_compiled_rows_are_the_orm_rows_for_every_kind_of_principal(world):
    manager = world.users["rm_a"]
    give_access(manager, world.q, ["view"], [world.c], granted_by=world.users["other_provider"])
    ended = world.users["rm_b"]
    RoleAssignment.objects.filter(person_id=ended.person_id).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    RoleAssignment.objects.create(
        person_id=ended.person_id,
        provider=world.p,
        role=RoleType.PARTNER,
        start_date=timezone.localdate() + dt.timedelta(days=1),
    )
    for name in ("ni", "rm_a", "rm_b", "delegate_view_whole", "delegate_view_a"):
        user = world.users[name]
        person_id = getattr(user, "person_id", None)
        rows = sorted(access_rows(user.pk, person_id), key=repr)
        assert rows == _by_orm(user), name
        assert rows or name == "rm_b"
    # The permissions come back as their JSON text, for compute_access to decode once for
    # every row that repeats them (a delegate has a row for each of their locations).
    delegate = world.users["delegate_view_a"]
    (row,) = access_rows(delegate.pk, None)
    assert isinstance(row[1], str)
    permissions = json.loads(row[1])
    assert isinstance(permissions, list)
    assert permissions


def test_a_second_call_is_one_statement_again(world):
    user = world.users["rm_a"]
    access_rows(user.pk, user.person_id)
    with CaptureQueriesContext(connection) as queries:
        access_rows(user.pk, user.person_id)
    assert len(queries.captured_queries) == 1


def test_what_access_reads_of_its_locations_needs_no_further_query(world):
    # The rows carry only some columns of each location, kept as plain values; everything
    # access and its readers ("You can act for", a provider's summary) use of them must be
    # among those.
    manager = world.users["rm_a"]
    delegate = world.users["delegate_view_a"]
    for user in (manager, delegate):
        forget_access(user)
        with CaptureQueriesContext(connection) as queries:
            held = access_for(user)
            for role in registered_roles(user):
                assert role.location is None or role.location.name
            states = [
                location for access in held.values() for location in access.locations.values()
            ]
            assert all(state.name and state.registration_status for state in states)
        assert len(queries.captured_queries) == 1, user
        for access in held.values():
            for location_id in access.locations:
                assert access.permissions_at(Location.objects.get(pk=location_id))
    (access,) = access_for(delegate).values()
    (state,) = access.locations.values()
    assert state.name == world.a.name
