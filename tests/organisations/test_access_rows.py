"""The access query compiled once per connection gives the rows the ORM query gives, for
members, registered people who are also members, and people whose roles have ended."""

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.organisations.access import access_for, forget_access, registered_roles
from portal.organisations.access_rows import PROVIDER_FIELDS, _rows_query, access_rows
from portal.register.models import Location, RegistrationStatus, RoleAssignment, RoleType
from tests.factories.accounts import make_user
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
    # The rows carry each location's registration, kept as plain values: everything access
    # reads of them. Only a page that lists locations by name ("You can act for") asks for
    # their names, in one more query.
    manager = world.users["rm_a"]
    delegate = world.users["delegate_view_a"]
    for user in (manager, delegate):
        forget_access(user)
        with CaptureQueriesContext(connection) as queries:
            held = access_for(user)
            states = [
                location for access in held.values() for location in access.locations.values()
            ]
            assert all(state.registration_status for state in states)
        assert len(queries.captured_queries) == 1, user
        for access in held.values():
            for location_id in access.locations:
                assert access.permissions_at(Location.objects.get(pk=location_id))
        with CaptureQueriesContext(connection) as queries:
            named = [role.location for role in registered_roles(user) if role.location]
        assert len(queries.captured_queries) == (1 if named else 0), user
        assert all(location.name == Location.objects.get(pk=location.pk).name for location in named)
    assert [role.location for role in registered_roles(manager)] == [(world.a.pk, world.a.name)]


def test_a_membership_is_one_row_with_its_locations_and_their_dates_where_deregistered(world):
    # Its locations' ids come on the membership's row (JSON text in the last column but
    # one), and in the last the dates access reads of a deregistered one (NULL if none).
    user = make_user("dana.delegate@sunrise.example")
    give_access(user, world.p, ["view"], [world.a, world.b])
    (row,) = access_rows(user.pk, None)
    assert json.loads(row[-2]) == sorted([world.a.pk, world.b.pk])
    assert row[-1] is None
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Location.objects.filter(pk=world.a.pk).update(
        registration_status=RegistrationStatus.DEREGISTERED, deregistration_date=yesterday
    )
    rows = access_rows(user.pk, None)
    assert sorted(rows, key=repr) == _by_orm(user)
    (row,) = rows
    assert json.loads(row[-2]) == sorted([world.a.pk, world.b.pk])
    dated = {entry[0]: entry[1:] for entry in json.loads(row[-1])}
    assert dated == {world.a.pk: [RegistrationStatus.DEREGISTERED, yesterday.isoformat(), None]}
    forget_access(user)
    (access,) = access_for(user).values()
    assert {i: s.registration_status for i, s in access.locations.items()} == {
        world.a.pk: RegistrationStatus.DEREGISTERED,
        world.b.pk: RegistrationStatus.REGISTERED,
    }
    assert access.locations[world.a.pk].deregistration_date == yesterday
    assert access.locations[world.b.pk].deregistration_date is None


def test_a_manager_of_many_locations_is_one_row_a_provider(world):
    manager = world.users["rm_a"]
    for location in (world.b, world.c):
        RoleAssignment.objects.create(
            person_id=manager.person_id,
            provider=location.provider,
            location=location,
            role=RoleType.REGISTERED_MANAGER,
        )
    rows = access_rows(manager.pk, manager.person_id)
    assert sorted(rows, key=repr) == _by_orm(manager)
    managed = {
        row[3 + PROVIDER_FIELDS.index("id")]: json.loads(row[-2])
        for row in rows
        if row[0] == RoleType.REGISTERED_MANAGER
    }
    by_provider: dict[str, list[str]] = {}
    for location in sorted((world.a, world.b, world.c), key=lambda location: location.pk):
        by_provider.setdefault(location.provider_id, []).append(location.pk)
    assert managed == by_provider
