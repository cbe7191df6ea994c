"""The access function: registered roles, delegated memberships, scope, deregistration."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.organisations.access import (
    can,
    forget_access,
    locations_for,
    providers_for,
    scope_for,
)
from portal.organisations.permissions import ALL_PERMISSIONS, Permission
from portal.register.models import Location, RegistrationStatus, RoleAssignment, RoleType
from portal.workflow.services import transition
from tests.factories.accounts import make_user, registered_user
from tests.factories.organisations import give_access

P = Permission


def test_nominated_individual_may_do_everything_at_the_whole_provider(world):
    ni = world.users["ni"]
    for permission in ALL_PERMISSIONS:
        assert can(ni, permission, provider=world.p)
        assert can(ni, permission, location=world.a)
        assert can(ni, permission, location=world.b)
        assert not can(ni, permission, provider=world.q)
        assert not can(ni, permission, location=world.c)


@pytest.mark.parametrize("role", [RoleType.RESPONSIBLE_INDIVIDUAL, RoleType.MAIN_PARTNER])
def test_responsible_individual_and_main_partner_are_like_a_nominated_individual(world, role):
    user = registered_user("X1", "x.y@sunrise.example", role, world.p)
    assert scope_for(user, P.MANAGE_TEAM, world.p).whole_provider
    assert can(user, P.SIGN_DECLARATIONS, location=world.b)


def test_partner_may_only_view(world):
    user = registered_user("X2", "pat.partner@sunrise.example", RoleType.PARTNER, world.p)
    assert can(user, P.VIEW_SUBMISSIONS, location=world.a)
    assert not can(user, P.SUBMIT_NOTIFICATIONS, provider=world.p)
    assert not can(user, P.MANAGE_TEAM, provider=world.p)


def test_registered_manager_acts_for_their_own_location_only(world):
    rm_a = world.users["rm_a"]
    assert can(rm_a, P.SUBMIT_NOTIFICATIONS, location=world.a)
    assert can(rm_a, P.SIGN_DECLARATIONS, location=world.a)
    assert can(rm_a, P.MANAGE_TEAM, location=world.a)
    assert not can(rm_a, P.VIEW_SUBMISSIONS, location=world.b)
    assert not can(rm_a, P.MANAGE_TEAM, location=world.b)
    scope = scope_for(rm_a, P.MANAGE_TEAM, world.p)
    assert not scope.whole_provider
    assert scope.location_ids == {world.a.pk}
    assert list(locations_for(rm_a, P.VIEW_SUBMISSIONS, world.p)) == [world.a]


def test_delegate_has_exactly_the_permissions_and_scope_stored(world):
    delegate = world.users["delegate_notifications_a"]
    assert can(delegate, P.SUBMIT_NOTIFICATIONS, location=world.a)
    assert can(delegate, P.DRAFT_NOTIFICATIONS, location=world.a)
    assert can(delegate, P.VIEW_SUBMISSIONS, location=world.a)
    assert not can(delegate, P.SUBMIT_NOTIFICATIONS, location=world.b)
    assert not can(delegate, P.PREPARE_APPLICATIONS, location=world.a)
    assert not can(delegate, P.SIGN_DECLARATIONS, location=world.a)
    assert not can(delegate, P.MANAGE_TEAM, provider=world.p)
    assert list(providers_for(delegate, P.SUBMIT_NOTIFICATIONS)) == [world.p]
    assert list(providers_for(delegate, P.MANAGE_TEAM)) == []


def test_registration_delegate_prepares_but_never_signs(world):
    delegate = world.users["delegate_registration_whole"]
    assert can(delegate, P.PREPARE_CANCELLATIONS, location=world.b)
    assert not can(delegate, P.SIGN_DECLARATIONS, provider=world.p)


def test_suspended_or_removed_membership_gives_nothing(world):
    delegate = world.users["delegate_view_whole"]
    membership = world.memberships["delegate_view_whole"]
    for action in ("suspend", "remove"):
        transition(membership, action, actor=None)
        forget_access(delegate)
        assert not can(delegate, P.VIEW_SUBMISSIONS, provider=world.p)
        assert list(providers_for(delegate)) == []


def test_staff_other_providers_and_anonymous_have_no_provider_access(world):
    from django.contrib.auth.models import AnonymousUser

    for user in (world.users["staff"], world.users["other_provider"], AnonymousUser()):
        assert not can(user, P.VIEW_SUBMISSIONS, provider=world.p)
        assert not can(user, P.VIEW_SUBMISSIONS, location=world.a)


def test_ended_and_future_roles_give_nothing(world):
    today = timezone.localdate()
    rm_a = world.users["rm_a"]
    RoleAssignment.objects.filter(person=rm_a.person).update(end_date=today)
    forget_access(rm_a)
    assert not can(rm_a, P.VIEW_SUBMISSIONS, location=world.a)
    RoleAssignment.objects.filter(person=rm_a.person).update(
        end_date=None, start_date=today + dt.timedelta(days=1)
    )
    forget_access(rm_a)
    assert not can(rm_a, P.VIEW_SUBMISSIONS, location=world.a)


def test_deregistered_provider_is_read_only_then_gone(world, settings):
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 30
    world.p.registration_status = RegistrationStatus.DEREGISTERED
    world.p.deregistration_date = timezone.localdate() - dt.timedelta(days=10)
    world.p.save()
    for kind in ("ni", "delegate_notifications_whole"):
        user = world.users[kind]
        forget_access(user)
        assert can(user, P.VIEW_SUBMISSIONS, location=world.a)
        assert not can(user, P.SUBMIT_NOTIFICATIONS, location=world.a)
        assert not can(user, P.DRAFT_NOTIFICATIONS, provider=world.p)
    assert can(world.users["ni"], P.VIEW_TEAM, provider=world.p)
    assert not can(world.users["ni"], P.MANAGE_TEAM, provider=world.p)

    world.p.deregistration_date = timezone.localdate() - dt.timedelta(days=31)
    world.p.save()
    for kind in ("ni", "delegate_notifications_whole"):
        user = world.users[kind]
        forget_access(user)
        assert not can(user, P.VIEW_SUBMISSIONS, provider=world.p)
        assert list(providers_for(user)) == []


def test_deregistered_location_is_read_only_there_only(world, settings):
    world.a.registration_status = RegistrationStatus.DEREGISTERED
    world.a.deregistration_date = timezone.localdate() - dt.timedelta(days=1)
    world.a.save()
    ni = world.users["ni"]
    assert can(ni, P.VIEW_SUBMISSIONS, location=world.a)
    assert not can(ni, P.SUBMIT_NOTIFICATIONS, location=world.a)
    assert can(ni, P.SUBMIT_NOTIFICATIONS, location=world.b)
    assert list(locations_for(ni, P.SUBMIT_NOTIFICATIONS, world.p)) == [world.b]
    assert list(locations_for(ni, P.VIEW_SUBMISSIONS, world.p)) == [world.a, world.b]
    # The registered manager of A keeps read-only access through the role, for the period.
    rm_a = world.users["rm_a"]
    assert can(rm_a, P.VIEW_SUBMISSIONS, location=world.a)
    assert not can(rm_a, P.SUBMIT_NOTIFICATIONS, location=world.a)
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 0
    forget_access(ni, rm_a)
    assert not can(rm_a, P.VIEW_SUBMISSIONS, location=world.a)
    assert list(locations_for(ni, P.VIEW_SUBMISSIONS, world.p)) == [world.b]


def test_deregistered_location_without_a_date_counts_from_its_last_update(world, settings):
    # A delegate at A and B; A deregistered with no date: the read-only period runs from
    # the record's last update (the access rows fetch that column only in this case).
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 30
    user = make_user("dana.delegate@sunrise.example")
    give_access(user, world.p, ["view", "notifications"], [world.a, world.b])
    Location.objects.filter(pk=world.a.pk).update(
        registration_status=RegistrationStatus.DEREGISTERED,
        deregistration_date=None,
        updated_at=timezone.now() - dt.timedelta(days=10),
    )
    assert scope_for(user, P.VIEW_SUBMISSIONS, world.p).location_ids == {world.a.pk, world.b.pk}
    assert scope_for(user, P.SUBMIT_NOTIFICATIONS, world.p).location_ids == {world.b.pk}
    Location.objects.filter(pk=world.a.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    forget_access(user)
    assert scope_for(user, P.VIEW_SUBMISSIONS, world.p).location_ids == {world.b.pk}
    assert not can(user, P.VIEW_SUBMISSIONS, location=Location.objects.get(pk=world.a.pk))


def test_role_and_membership_combine(world):
    # A registered manager of A who is also a delegate for B with view-only access.
    rm_a = world.users["rm_a"]
    give_access(rm_a, world.p, ["view"], [world.b])
    forget_access(rm_a)
    assert can(rm_a, P.VIEW_SUBMISSIONS, location=world.b)
    assert not can(rm_a, P.SUBMIT_NOTIFICATIONS, location=world.b)
    assert can(rm_a, P.SUBMIT_NOTIFICATIONS, location=world.a)


def test_access_is_worked_out_in_one_query(world, django_assert_num_queries):
    delegate = make_user("many@sunrise.example")
    give_access(delegate, world.p, ["notifications"], [world.a, world.b])
    give_access(delegate, world.q, ["view"])
    rm_a = world.users["rm_a"]  # a registered role and a membership: both in the one query
    give_access(rm_a, world.q, ["view"])
    forget_access(rm_a)
    for user in (delegate, rm_a):
        with django_assert_num_queries(1):
            for _ in range(50):
                assert can(user, P.SUBMIT_NOTIFICATIONS, location=world.a)
                assert can(user, P.VIEW_SUBMISSIONS, provider=world.q)
                assert not can(user, P.SUBMIT_NOTIFICATIONS, provider=world.q)
    assert not can(rm_a, P.SUBMIT_NOTIFICATIONS, location=world.b)
    assert can(delegate, P.SUBMIT_NOTIFICATIONS, location=world.b)


def test_unknown_permission_is_a_programming_error(world):
    with pytest.raises(ValueError, match="Unknown permission"):
        can(world.users["ni"], "fly", provider=world.p)
    with pytest.raises(ValueError, match="which provider"):
        can(world.users["ni"], P.VIEW_SUBMISSIONS)
