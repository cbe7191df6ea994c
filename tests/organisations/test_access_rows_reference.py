"""compute_access (one compiled query: a manager's and a membership's location ids as JSON
on one row, with the deregistered ones' registration) gives what plain ORM reads of the register and the memberships say, for managers
of several locations and providers, partners, people both registered and delegated,
deregistered locations (dated and undated) and API keys narrowed to some locations."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from portal.access import KEY_SCOPE_ATTRIBUTE, KeyScope
from portal.accounts.models import User
from portal.organisations.access import (
    PARTNER_PERMISSIONS,
    REGISTERED_MANAGER_PERMISSIONS,
    WHOLE_PROVIDER_ROLES,
    ProviderAccess,
    compute_access,
)
from portal.organisations.access_rows import live_role_q
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.permissions import ALL_PERMISSIONS, Permission
from portal.register.models import Location, RegistrationStatus, RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access


@dataclass
class Expected:
    role_whole: set[str] = field(default_factory=set)
    role_at: dict[str, frozenset[str]] = field(default_factory=dict)
    member_whole: set[str] = field(default_factory=set)
    member_at: dict[str, frozenset[str]] = field(default_factory=dict)
    locations: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    roles_held: set[tuple[str, str | None]] = field(default_factory=set)


def _state(location: Location) -> tuple[Any, ...]:
    """What access keeps of a location: its registration, the dates only where deregistered
    (and its last change only where it has no deregistration date)."""
    if location.registration_status != RegistrationStatus.DEREGISTERED:
        return (location.registration_status, None, None)
    undated = location.deregistration_date is None
    return (
        location.registration_status,
        location.deregistration_date,
        location.updated_at if undated else None,
    )


def _by_orm(user: User) -> dict[str, Expected]:
    expected: dict[str, Expected] = {}
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        live = RoleAssignment.objects.filter(live_role_q(timezone.localdate()), person_id=person_id)
        for role in live.select_related("location"):
            held = expected.setdefault(role.provider_id, Expected())
            held.roles.add(role.role)
            if role.role == RoleType.REGISTERED_MANAGER and role.location is not None:
                location = role.location
                held.roles_held.add((role.role, location.pk))
                held.role_at[location.pk] = REGISTERED_MANAGER_PERMISSIONS
                held.locations[location.pk] = _state(location)
                continue
            held.roles_held.add((role.role, None))
            if role.role in WHOLE_PROVIDER_ROLES:
                held.role_whole |= ALL_PERMISSIONS
            elif role.role == RoleType.PARTNER:
                held.role_whole |= PARTNER_PERMISSIONS
    active = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    for membership in active.prefetch_related("locations"):
        held = expected.setdefault(membership.provider_id, Expected())
        permissions = frozenset(membership.permissions)
        if membership.whole_provider:
            held.member_whole |= permissions
            continue
        for location in membership.locations.all():
            held.member_at[location.pk] = held.member_at.get(location.pk, frozenset()) | permissions
            held.locations[location.pk] = _state(location)
    return expected


def _as_read(access: ProviderAccess) -> Expected:
    return Expected(
        role_whole=set(access.role_whole),
        role_at=dict(access.role_at),
        member_whole=set(access.member_whole),
        member_at=dict(access.member_at),
        locations={i: tuple(state) for i, state in access.locations.items()},
        roles=set(access.roles),
        roles_held=set(access.roles_held),
    )


def _narrowed(expected: dict[str, Expected], scope: KeyScope) -> dict[str, Expected]:
    """A key's access: its creator's at its provider, at its locations (if it names some),
    limited to its permissions (never signing declarations)."""
    held = expected[scope.provider_id]
    allowed = scope.permissions - {Permission.SIGN_DECLARATIONS}
    whole = held.role_whole | held.member_whole
    narrowed = Expected()

    def at(location_id: str) -> frozenset[str]:
        return held.role_at.get(location_id, frozenset()) | held.member_at.get(
            location_id, frozenset()
        )

    if not scope.location_ids:
        narrowed.member_whole = whole & allowed
        narrowed.member_at = {i: at(i) & allowed for i in held.locations}
        narrowed.locations = dict(held.locations)
        return {scope.provider_id: narrowed}
    for location in Location.objects.filter(
        provider_id=scope.provider_id, pk__in=scope.location_ids
    ):
        narrowed.member_at[location.pk] = frozenset(whole | at(location.pk)) & allowed
        narrowed.locations[location.pk] = (
            location.registration_status,
            location.deregistration_date,
            location.updated_at,
        )
    return {scope.provider_id: narrowed}


def _same_as_orm(user: User, expected: dict[str, Expected] | None = None) -> None:
    computed = compute_access(user)
    assert {i: _as_read(a) for i, a in computed.items()} == (expected or _by_orm(user))
    for provider_id, access in computed.items():
        assert access.source.pk == provider_id
        assert access.source.name == access.provider.name


def test_access_is_what_the_orm_reads_say_for_every_kind_of_principal(world):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=3650)
    d = Location.objects.create(id="1-200000004", provider=world.p, name="Dawn Court")
    gone = Location.objects.create(
        id="1-200000005",
        provider=world.p,
        name="Gone House",
        registration_status=RegistrationStatus.DEREGISTERED,
        deregistration_date=today - dt.timedelta(days=3),
    )
    undated = Location.objects.create(
        id="1-200000006",
        provider=world.q,
        name="Undated House",
        registration_status=RegistrationStatus.DEREGISTERED,
    )
    Location.objects.filter(pk=undated.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    manager = world.users["rm_a"]
    for location in (world.b, d, gone, world.c, undated):
        RoleAssignment.objects.create(
            person_id=manager.person_id,
            provider=location.provider,
            location=location,
            role=RoleType.REGISTERED_MANAGER,
        )
    ended = Location.objects.create(id="1-200000007", provider=world.p, name="Ended Lodge")
    RoleAssignment.objects.create(
        person_id=manager.person_id,
        provider=world.p,
        location=ended,
        role=RoleType.REGISTERED_MANAGER,
        end_date=long_ago,
        start_date=long_ago - dt.timedelta(days=1),
    )
    # The manager is also a delegate at one of their own locations and one more.
    give_access(manager, world.q, ["view"], [world.c], granted_by=world.users["other_provider"])
    partner = world.users["rm_b"]
    RoleAssignment.objects.create(
        person_id=partner.person_id, provider=world.q, role=RoleType.PARTNER
    )
    delegate = make_user("dana.delegate@sunrise.example")
    give_access(delegate, world.p, ["view", "notifications"], [world.a, d, gone])
    give_access(delegate, world.q, ["view"], None)
    undated_member = make_user("una.member@other.example")
    give_access(undated_member, world.q, ["notifications"], [world.c, undated])
    nobody = make_user("nobody@example.com")

    principals = [
        world.users["ni"],
        manager,
        partner,
        delegate,
        undated_member,
        nobody,
        world.users["delegate_view_a"],
        world.users["delegate_team_whole"],
    ]
    for user in principals:
        _same_as_orm(User.objects.get(pk=user.pk))
    held = _by_orm(manager)[world.p.pk]
    assert set(held.role_at) == {world.a.pk, world.b.pk, d.pk, gone.pk}
    assert held.locations[gone.pk][1] == gone.deregistration_date
    assert _by_orm(undated_member)[world.q.pk].locations[undated.pk][2] is not None

    for provider, location_ids, permissions in (
        (world.p, frozenset(), frozenset({Permission.VIEW_SUBMISSIONS})),
        (world.p, frozenset({world.a.pk, gone.pk}), ALL_PERMISSIONS),
        (world.q, frozenset({world.c.pk}), frozenset({Permission.DRAFT_NOTIFICATIONS})),
    ):
        scope = KeyScope(provider.pk, location_ids, permissions)
        key = User.objects.get(pk=manager.pk)
        setattr(key, KEY_SCOPE_ATTRIBUTE, scope)
        _same_as_orm(key, _narrowed(_by_orm(manager), scope))
