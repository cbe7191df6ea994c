"""Delegation: people given access by a registered person."""

from typing import Any

from portal.accounts.models import User
from portal.organisations.models import Membership
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel
from portal.register.models import Location, Provider
from tests.factories.accounts import make_user


def make_membership(
    user: User,
    provider: Provider,
    permissions: list[str],
    locations: list[Location] | tuple[Location, ...] | None = None,
    granted_by: User | None = None,
    **extra: Any,
) -> Membership:
    """A membership with exactly `permissions`: at `locations`, or the whole provider when
    there are none."""
    membership = Membership.objects.create(
        user=user,
        provider=provider,
        whole_provider=not locations,
        permissions=list(permissions),
        granted_by=granted_by,
        **extra,
    )
    if locations:
        membership.locations.set(locations)
    return membership


def delegate(
    provider: Provider,
    permissions: tuple[str, ...],
    locations: tuple[Location, ...] = (),
    granted_by: User | None = None,
) -> User:
    """A member of staff given access by a registered person (no register role of their own)."""
    user = make_user(full_name="Dee Delegate")
    make_membership(user, provider, list(permissions), locations, granted_by)
    return user


def give_access(
    user: User,
    provider: Provider,
    levels: list[str],
    locations: list[Location] | None = None,
    granted_by: User | None = None,
) -> Membership:
    """A membership with the permissions of the named access levels (whole provider unless
    `locations` are given)."""
    permissions: set[str] = set()
    for level in levels:
        permissions |= ACCESS_LEVEL_PERMISSIONS[AccessLevel(level)]
    return make_membership(user, provider, sorted(permissions), locations, granted_by)
