"""One access model: what the account page says a person may act for is read from the
access function, so the two cannot disagree, whatever the register or the team says.

There is no stored copy of access (the old `AccessGrant` rows are gone): the access
function reads live roles and memberships, and keeps its answer on the user object for the
one request. Each state below is one where a stored copy used to go wrong: the read-only
window after deregistration and its end, a deregistered location, and delegated access
that is suspended or removed.
"""

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.organisations.access import (
    can,
    delegated_providers,
    has_any_access,
    registered_roles,
)
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.permissions import ALL_PERMISSIONS, Permission
from portal.register.models import Location, Provider, RegistrationStatus

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def deregister(record, days_ago):
    record.registration_status = RegistrationStatus.DEREGISTERED
    record.deregistration_date = timezone.localdate() - days_ago * DAY
    record.save()


def provider_in_window(world):
    deregister(world.p, 10)


def provider_past_window(world):
    deregister(world.p, 100)


def location_in_window(world):
    deregister(world.a, 10)


def location_past_window(world):
    deregister(world.a, 100)


def memberships_suspended(world):
    Membership.objects.update(status=MembershipStatus.SUSPENDED)


def memberships_removed(world):
    Membership.objects.update(status=MembershipStatus.REMOVED)


def nothing_changed(world):
    pass


STATES = [
    nothing_changed,
    provider_in_window,
    provider_past_window,
    location_in_window,
    location_past_window,
    memberships_suspended,
    memberships_removed,
]


def what_the_account_page_lists(user):
    """Providers and locations the "You can act for" part of /account/ shows."""
    fresh = User.objects.get(pk=user.pk)
    places = {
        (held.provider.pk, held.location.pk if held.location else None)
        for held in registered_roles(fresh)
    }
    places |= {(provider.pk, None) for provider in delegated_providers(fresh)}
    return places


def what_the_access_function_allows(user):
    fresh = User.objects.get(pk=user.pk)
    allowed = set()
    for provider in Provider.objects.all():
        if not has_any_access(fresh, provider):
            continue
        allowed.add(provider.pk)
        for location in Location.objects.filter(provider=provider):
            if any(can(fresh, p, location=location) for p in ALL_PERMISSIONS):
                allowed.add(location.pk)
    return allowed


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.__name__)
def test_the_account_page_and_the_access_function_agree(world, state):
    state(world)
    for kind, user in world.users.items():
        listed = what_the_account_page_lists(user)
        allowed = what_the_access_function_allows(user)
        listed_providers = {provider_id for provider_id, _ in listed}
        assert listed_providers == {p for p in allowed if p.startswith("1-1")}, kind
        for provider_id, location_id in listed:
            assert (location_id or provider_id) in allowed, (kind, provider_id, location_id)


def test_the_read_only_window_reads_and_then_ends(world):
    rm_a = world.users["rm_a"]
    provider_in_window(world)
    user = User.objects.get(pk=rm_a.pk)
    assert can(user, Permission.VIEW_SUBMISSIONS, location=world.a)
    assert not can(user, Permission.SUBMIT_NOTIFICATIONS, location=world.a)
    assert [held.role for held in registered_roles(user)] == ["registered_manager"]
    provider_past_window(world)
    user = User.objects.get(pk=rm_a.pk)
    assert not has_any_access(user, world.p)
    assert registered_roles(user) == []
