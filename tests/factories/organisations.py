"""Delegation: people given access by a registered person."""

from portal.accounts.models import User
from portal.organisations.models import Membership
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel
from portal.register.models import Location, Provider
from tests.factories.accounts import make_user


def delegate(
    provider: Provider,
    permissions: tuple[str, ...],
    locations: tuple[Location, ...] = (),
    granted_by: User | None = None,
) -> User:
    """A member of staff given access by a registered person (no register role of their own)."""
    user = make_user(full_name="Dee Delegate")
    membership = Membership.objects.create(
        user=user,
        provider=provider,
        whole_provider=not locations,
        permissions=list(permissions),
        granted_by=granted_by,
    )
    membership.locations.set(locations)
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
    membership = Membership.objects.create(
        user=user,
        provider=provider,
        whole_provider=locations is None,
        permissions=sorted(permissions),
        granted_by=granted_by,
    )
    if locations:
        membership.locations.set(locations)
    return membership
