"""The navigation's questions (any access at a provider; may this anywhere there) answered
from the grants, without decoding their locations, give what working out every location's
permissions gives: for every shape of principal, with providers and locations registered,
deregistered in the read-only period and past it, suspended memberships, partners, managers,
delegates and API keys narrowed to a provider or to chosen locations."""

import datetime as dt

from django.utils import timezone

from portal.access import KEY_SCOPE_ATTRIBUTE, KeyScope
from portal.accounts.models import User
from portal.organisations.access import ProviderAccess, Scope, compute_access
from portal.organisations.models import MembershipStatus
from portal.organisations.permissions import ALL_PERMISSIONS, Permission
from portal.register.models import Location, Provider, RegistrationStatus, RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access, make_membership

Answers = tuple[bool, dict[str, Scope]]


def _lazy(access: ProviderAccess) -> Answers:
    held: set[str] = {p for p in ALL_PERMISSIONS if access.has_anywhere(p)}
    # Asked after has_anywhere, as pages do (its answer must not change what scope_for says).
    scopes: dict[str, Scope] = {p: access.scope_for(p) for p in sorted(ALL_PERMISSIONS)}
    assert held == {p for p, scope in scopes.items() if not scope.is_empty}
    return access.any_access, scopes


def _eager(access: ProviderAccess) -> Answers:
    """The answers from every location's permissions (as before the grants answered)."""
    at_each = access.at_each_location()
    whole = access.whole_provider_permissions()
    any_access = bool(whole) or any(at_each.values())
    scopes: dict[str, Scope] = {
        p: Scope(whole_provider=True)
        if p in whole
        else Scope(False, frozenset(i for i, held in at_each.items() if p in held))
        for p in sorted(ALL_PERMISSIONS)
    }
    return any_access, scopes


def _held(answers: Answers) -> tuple[bool, frozenset[str]]:
    return answers[0], frozenset(p for p, scope in answers[1].items() if not scope.is_empty)


def _check(user: User, *, decoded: bool | None = None) -> dict[str, tuple[bool, frozenset[str]]]:
    """The lazy answers equal the eager ones at every provider (each from its own copy of
    the access); `decoded` says whether the lazy ones needed the locations."""
    lazy, eager = compute_access(user), compute_access(user)
    assert lazy.keys() == eager.keys()
    answers = {}
    for provider_id, access in lazy.items():
        lazy_answers = _lazy(access)
        if decoded is not None:
            assert access.locations_decoded is decoded, provider_id
        assert lazy_answers == _eager(eager[provider_id]), provider_id
        answers[provider_id] = _held(lazy_answers)
    return answers


def _deregister(record: Provider | Location, days_ago: int | None) -> None:
    """Deregistered `days_ago` (None: undated, last changed long ago)."""
    today = timezone.localdate()
    date = None if days_ago is None else today - dt.timedelta(days=days_ago)
    type(record).objects.filter(pk=record.pk).update(
        registration_status=RegistrationStatus.DEREGISTERED,
        deregistration_date=date,
        updated_at=timezone.now() - dt.timedelta(days=400),
    )


def test_registered_locations_are_answered_without_decoding_them(world):
    delegate = world.users["delegate_notifications_a"]
    assert _check(delegate, decoded=False)[world.p.pk] == (
        True,
        frozenset(
            {
                Permission.VIEW_SUBMISSIONS,
                Permission.DRAFT_NOTIFICATIONS,
                Permission.SUBMIT_NOTIFICATIONS,
            }
        ),
    )
    # A manager at A, a member at B who may only view there: drafting is at A only.
    manager = world.users["rm_a"]
    give_access(manager, world.p, ["view"], [world.b], granted_by=world.users["ni"])
    _check(User.objects.get(pk=manager.pk), decoded=False)
    scope = compute_access(manager)[world.p.pk].scope_for(Permission.DRAFT_NOTIFICATIONS)
    assert scope == Scope(whole_provider=False, location_ids=frozenset({world.a.pk}))
    _check(world.users["ni"], decoded=False)
    for name in world.users:
        _check(User.objects.get(pk=world.users[name].pk))


def test_deregistered_locations_are_answered_from_each_location(world, settings):
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 90
    p = world.p
    recent = Location.objects.create(id="1-200000011", provider=p, name="Recent House")
    archived = Location.objects.create(id="1-200000012", provider=p, name="Archived House")
    undated = Location.objects.create(id="1-200000013", provider=p, name="Undated House")
    _deregister(recent, 3)
    _deregister(archived, 400)
    _deregister(undated, None)
    manager = world.users["rm_a"]
    for location in (recent, archived, undated):
        RoleAssignment.objects.create(
            person_id=manager.person_id,
            provider=p,
            location=location,
            role=RoleType.REGISTERED_MANAGER,
        )
    # Only past the read-only period: no access; only within it: read-only access.
    gone = make_user("gone@sunrise.example")
    give_access(gone, p, ["view", "notifications"], [archived, undated])
    read_only = make_user("read.only@sunrise.example")
    give_access(read_only, p, ["view", "notifications", "team"], [recent, archived])
    writer = make_user("writer@sunrise.example")  # nothing read-only to keep
    make_membership(writer, p, [Permission.DRAFT_NOTIFICATIONS, Permission.MANAGE_TEAM], [recent])
    mixed = make_user("mixed@sunrise.example")  # one registered location among them
    give_access(mixed, p, ["notifications"], [recent, archived, world.a])

    assert _check(User.objects.get(pk=gone.pk), decoded=True) == {p.pk: (False, frozenset())}
    assert _check(User.objects.get(pk=read_only.pk), decoded=True) == {
        p.pk: (True, frozenset({Permission.VIEW_SUBMISSIONS, Permission.VIEW_TEAM}))
    }
    assert _check(User.objects.get(pk=writer.pk), decoded=True) == {p.pk: (False, frozenset())}
    _check(User.objects.get(pk=mixed.pk), decoded=True)
    _check(User.objects.get(pk=manager.pk), decoded=True)


def test_a_deregistered_provider_limits_what_its_grants_give(world, settings):
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 90
    viewer = make_user("viewer@sunrise.example")
    give_access(viewer, world.p, ["view"], [world.a, world.b])
    drafter = make_user("drafter@sunrise.example")
    give_access(drafter, world.p, ["notifications"], [world.a])
    users = [viewer, drafter, world.users["rm_a"], world.users["ni"]]
    for days_ago, read_only in ((3, True), (400, False)):
        _deregister(world.p, days_ago)
        for user in users:
            answers = _check(User.objects.get(pk=user.pk), decoded=False)
            kept = frozenset({Permission.VIEW_SUBMISSIONS}) if read_only else frozenset()
            if user in (viewer, drafter):
                assert answers[world.p.pk] == (read_only, kept)


def test_partners_suspended_members_and_a_location_named_as_the_status(world):
    partner = world.users["rm_b"]
    RoleAssignment.objects.create(
        person_id=partner.person_id, provider=world.q, role=RoleType.PARTNER
    )
    assert _check(User.objects.get(pk=partner.pk))[world.q.pk] == (
        True,
        frozenset({Permission.VIEW_SUBMISSIONS}),
    )
    suspended = make_user("suspended@sunrise.example")
    make_membership(suspended, world.p, [Permission.VIEW_SUBMISSIONS], [world.a])
    make_membership(
        suspended, world.q, [Permission.VIEW_TEAM], [world.c], status=MembershipStatus.SUSPENDED
    )
    assert set(_check(User.objects.get(pk=suspended.pk), decoded=False)) == {world.p.pk}
    # A registered location whose name reads like the status is neither refused nor decoded
    # (the access row carries no names: only a deregistered location's registration).
    Location.objects.filter(pk=world.a.pk).update(name=str(RegistrationStatus.DEREGISTERED))
    assert _check(User.objects.get(pk=suspended.pk), decoded=False) == {
        world.p.pk: (True, frozenset({Permission.VIEW_SUBMISSIONS}))
    }


def test_api_keys_narrowed_to_a_provider_or_to_locations(world):
    manager = world.users["rm_a"]
    give_access(manager, world.q, ["view", "team"], [world.c], granted_by=world.users["ni"])
    for scope, decoded in (
        (KeyScope(world.p.pk, frozenset(), frozenset({Permission.VIEW_SUBMISSIONS})), False),
        (KeyScope(world.q.pk, frozenset(), frozenset({Permission.MANAGE_TEAM})), False),
        (KeyScope(world.p.pk, frozenset({world.a.pk}), ALL_PERMISSIONS), None),
        (KeyScope(world.p.pk, frozenset({world.b.pk}), ALL_PERMISSIONS), None),
    ):
        key = User.objects.get(pk=manager.pk)
        setattr(key, KEY_SCOPE_ATTRIBUTE, scope)
        answers = _check(key, decoded=decoded)
        assert set(answers) == {scope.provider_id}
    assert answers[world.p.pk] == (False, frozenset())  # the manager's is A, not B
