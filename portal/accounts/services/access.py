"""Recompute what an account may act for, from the register and (later) delegations.

Each source of access registers a function that lists the grants it gives a user; the
delegation package adds its own with `register_access_source` without touching this file.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from portal.accounts import clock
from portal.accounts.models import AccessGrant, AccessSource, User
from portal.audit.services import record
from portal.register.models import SIGN_UP_ROLES
from portal.register.selectors import live_roles_for


@dataclass(frozen=True)
class GrantSpec:
    role: str
    provider_id: str
    location_id: str | None
    ends_on: Any = None


AccessSourceFn = Callable[[User], list[GrantSpec]]
_SOURCES: dict[str, AccessSourceFn] = {}


def register_access_source(source: str, grants_for: AccessSourceFn) -> None:
    """Hook for delegation: `grants_for(user)` lists what that source gives the user."""
    _SOURCES[source] = grants_for


def register_grants(user: User) -> list[GrantSpec]:
    if user.person_id is None or user.person is None:
        return []
    return [
        GrantSpec(
            role=role.role,
            provider_id=role.provider_id,
            location_id=role.location_id,
            ends_on=role.end_date,
        )
        for role in live_roles_for(user.person)
        if role.role in SIGN_UP_ROLES
    ]


register_access_source(AccessSource.REGISTER, register_grants)


@transaction.atomic
def recompute_access(*, user: User, reason: str) -> list[AccessGrant]:
    """Replace the user's grants with what every source gives now; audit any difference."""
    before: set[tuple[str, str, str, str | None]] = set(
        AccessGrant.objects.filter(user=user).values_list(
            "source", "role", "provider_id", "location_id"
        )
    )
    moment = clock.now()
    fresh = [
        AccessGrant(
            user=user,
            source=source,
            role=spec.role,
            provider_id=spec.provider_id,
            location_id=spec.location_id,
            ends_on=spec.ends_on,
            computed_at=moment,
        )
        for source, grants_for in _SOURCES.items()
        for spec in grants_for(user)
    ]
    # One grant per (source, role, provider, location): a manager registered for two
    # activities at one location holds one grant there.
    unique: dict[tuple[str, str, str, str | None], AccessGrant] = {}
    for grant in fresh:
        unique.setdefault((grant.source, grant.role, grant.provider_id, grant.location_id), grant)
    AccessGrant.objects.filter(user=user).delete()
    created = AccessGrant.objects.bulk_create(list(unique.values()))
    after = set(unique)
    if before != after:
        record(
            verb="accounts.access_recomputed",
            target=user,
            data={
                "reason": reason,
                "added": sorted(map(list, after - before), key=str),
                "removed": sorted(map(list, before - after), key=str),
            },
        )
    return created
