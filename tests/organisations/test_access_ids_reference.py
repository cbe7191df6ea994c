"""The access row's locations as ids plus the deregistered ones' registration
(portal.organisations.access_rows) say what the read before them said: every location's
[id, name, registration status, deregistration date, updated at] as one JSON array. The old
read is kept here as the reference, compared on data with deregistered locations (dated and
undated), ended roles, removed and suspended memberships, delegations at several providers
and a manager who is also a delegate. The names access no longer carries are read when a
page lists them (location_names, "Your providers"): compared with the register's."""

import datetime as dt
import json
from typing import Any

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.fields import DateField, DateTimeField
from django.utils import timezone

from portal.organisations.access import forget_access, location_names
from portal.organisations.access_rows import (
    PROVIDER_FIELDS,
    _JSONRows,
    access_rows,
    live_role_q,
)
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.selectors import my_providers
from portal.register.models import Location, RegistrationStatus, RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access, make_membership

_DEREGISTERED = RegistrationStatus.DEREGISTERED
_PROVIDER_ID = 3 + PROVIDER_FIELDS.index("id")


def _old_located(rows: QuerySet[Any], group: str) -> list[Any]:
    """The read before: each location's id, name, registration, and the dates only where
    deregistered (its last change only where it has no deregistration date)."""
    deregistered = Q(location__registration_status=_DEREGISTERED)
    undated = Q(location__deregistration_date__isnull=True)
    located = (
        rows.order_by()
        .values(group)
        .annotate(
            rows=_JSONRows(
                "location_id",
                "location__name",
                "location__registration_status",
                Case(
                    When(deregistered, then=F("location__deregistration_date")),
                    default=None,
                    output_field=DateField(),
                ),
                Case(
                    When(deregistered & undated, then=F("location__updated_at")),
                    default=None,
                    output_field=DateTimeField(),
                ),
            )
        )
        .values_list("rows", flat=True)
    )
    (text,) = located
    return json.loads(text)


def _as_now(old: list[Any]) -> tuple[list[str], list[Any] | None]:
    """What the access row carries now of the old read's locations."""
    ids = [entry[0] for entry in old]
    deregistered = [
        [entry[0], entry[2], entry[3], entry[4]] for entry in old if entry[2] == _DEREGISTERED
    ]
    return ids, deregistered or None


def _expected(user: Any) -> list[tuple[str, str, list[str], list[Any] | None]]:
    """(role, provider, location ids, deregistered) of each located grant, by the old read."""
    expected = []
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        live = RoleAssignment.objects.filter(live_role_q(timezone.localdate()), person_id=person_id)
        managed = live.filter(role=RoleType.REGISTERED_MANAGER, location__isnull=False)
        for provider_id in set(managed.values_list("provider_id", flat=True)):
            old = _old_located(managed.filter(provider_id=provider_id), "provider_id")
            expected.append((str(RoleType.REGISTERED_MANAGER), provider_id, *_as_now(old)))
    through: Any = Membership.locations.through
    active = Membership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE, whole_provider=False
    )
    for membership in active:
        old = _old_located(through.objects.filter(membership_id=membership.pk), "membership_id")
        expected.append(("", membership.provider_id, *_as_now(old)))
    return sorted(expected, key=repr)


def _read_now(user: Any) -> list[tuple[str, str, list[str], list[Any] | None]]:
    rows = access_rows(user.pk, getattr(user, "person_id", None))
    return sorted(
        (
            (row[0], row[_PROVIDER_ID], json.loads(row[-2]), row[-1] and json.loads(row[-1]))
            for row in rows
            if row[-2] is not None
        ),
        key=repr,
    )


def test_the_ids_and_deregistered_locations_are_what_the_old_read_said(world):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=3650)
    gone = Location.objects.create(
        id="1-300000001",
        provider=world.p,
        name="Gone House",
        registration_status=_DEREGISTERED,
        deregistration_date=today - dt.timedelta(days=3),
    )
    undated = Location.objects.create(
        id="1-300000002", provider=world.q, name="Undated House", registration_status=_DEREGISTERED
    )
    Location.objects.filter(pk=undated.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    ended = Location.objects.create(id="1-300000003", provider=world.p, name="Ended Lodge")
    manager = world.users["rm_a"]
    for location in (world.b, gone, world.c, undated):
        RoleAssignment.objects.create(
            person_id=manager.person_id,
            provider=location.provider,
            location=location,
            role=RoleType.REGISTERED_MANAGER,
        )
    RoleAssignment.objects.create(
        person_id=manager.person_id,
        provider=world.p,
        location=ended,
        role=RoleType.REGISTERED_MANAGER,
        start_date=long_ago - dt.timedelta(days=1),
        end_date=long_ago,
    )
    give_access(manager, world.q, ["view"], [world.c], granted_by=world.users["other_provider"])
    delegate = make_user("dana.delegate@sunrise.example")
    give_access(delegate, world.p, ["view", "notifications"], [world.a, gone, ended])
    give_access(delegate, world.q, ["view"], [undated])
    removed = make_user("rita.removed@sunrise.example")
    make_membership(removed, world.p, ["view"], [world.a], status=MembershipStatus.REMOVED)
    make_membership(removed, world.q, ["view"], [world.c], status=MembershipStatus.SUSPENDED)
    principals = [
        world.users["ni"],
        manager,
        world.users["rm_b"],
        world.users["delegate_view_a"],
        world.users["delegate_view_whole"],
        delegate,
        removed,
    ]
    for user in principals:
        assert _read_now(user) == _expected(user), user
    assert any(deregistered for *_, deregistered in _read_now(delegate))
    assert [grant for grant in _read_now(removed)] == []


def test_names_are_read_when_a_page_lists_them(world):
    ids = [world.a.pk, world.b.pk, world.c.pk]
    assert location_names([*ids, None]) == {
        location.pk: location.name for location in Location.objects.filter(pk__in=ids)
    }
    assert location_names([None]) == {}
    delegate = make_user("dana.delegate@sunrise.example")
    give_access(delegate, world.p, ["view"], [world.a, world.b])
    give_access(delegate, world.q, ["view"], None)
    forget_access(delegate)
    where = {summary.provider.pk: summary.where for summary in my_providers(delegate)}
    assert where == {world.p.pk: sorted([world.a.name, world.b.name]), world.q.pk: []}
