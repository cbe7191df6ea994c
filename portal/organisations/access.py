"""The one access function: may this principal do this on this provider or location?

Every view, selector and API call in the portal asks here, and nothing keeps a second copy
(the account page's "You can act for" is read from here too). A principal
(portal.access.Principal) is a signed-in user today. Access is the union of
- live register roles (computed from the register on every request, never copied):
  nominated individual, responsible individual and main partner -> the whole provider with
  every permission, including signing declarations and managing the team; registered
  manager -> their own locations, every permission there (team management included, for
  those locations only); partner -> view submissions for the whole provider;
- active delegated memberships, with the permissions and scope stored on them.

A deregistered provider or location leaves read-only access (READ_ONLY_PERMISSIONS) for
settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS days after deregistration, then none.

The result is worked out once per principal object (one query) and kept on it for that
request, so a request that asks many questions pays once. Locations are kept as plain values
(LocationState), not model instances, and only once a page asks where: a delegate at hundreds
of locations would otherwise pay for hundreds of them on every page (see
portal.organisations.provider_access). Services that change access call `forget_access`.
"""

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.access import KeyScope, Principal, key_scope_of
from portal.compiled_queries import CompiledRows
from portal.organisations.access_rows import (
    PROVIDER_FIELDS,
    LocationState,
    ProviderSource,
    access_rows,
    live_role_q,
)
from portal.organisations.models import Membership
from portal.organisations.permissions import ALL_PERMISSIONS, READ_ONLY_PERMISSIONS, Permission
from portal.organisations.provider_access import (
    NO_SCOPE,
    REGISTERED_MANAGER_PERMISSIONS,
    LocatedGrant,
    ProviderAccess,
    Scope,
)
from portal.register.id_lookups import AnyOfIds
from portal.register.models import (
    Location,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)

# Kept importable from here, the one access module the rest of the portal reads.
__all__ = [
    "NO_SCOPE",
    "REGISTERED_MANAGER_PERMISSIONS",
    "ProviderAccess",
    "ProviderSource",
    "Scope",
]

WHOLE_PROVIDER_ROLES = frozenset(
    {RoleType.NOMINATED_INDIVIDUAL, RoleType.RESPONSIBLE_INDIVIDUAL, RoleType.MAIN_PARTNER}
)
_MANAGER = str(RoleType.REGISTERED_MANAGER)
PARTNER_PERMISSIONS = frozenset({Permission.VIEW_SUBMISSIONS})
_NO_PERMISSIONS: frozenset[str] = frozenset()

_CACHE_ATTRIBUTE = "_organisations_access"


def person_id_of(principal: Principal | None) -> int | None:
    """The register person a principal is, if any (users who hold a registered role)."""
    return getattr(principal, "person_id", None)


def _live_roles(person_id: int) -> QuerySet[RoleAssignment]:
    # Dates only: a deregistered provider's roles still count, for the read-only period.
    today = timezone.localdate()
    return RoleAssignment.objects.filter(live_role_q(today), person_id=person_id).select_related(
        "provider", "location"
    )


_PROVIDER_PK = PROVIDER_FIELDS.index(Provider._meta.pk.attname)
_PROVIDER_NAME = PROVIDER_FIELDS.index("name")  # never NULL but where left out


def _access_rows(principal: Principal) -> list[tuple[Any, ...]]:
    """Both sources of access in one query, a row per live role (a manager's locations at a
    provider on one) and per active membership: see portal.organisations.access_rows."""
    return access_rows(principal.pk, person_id_of(principal))


def _narrowed_to_key(
    result: dict[str, ProviderAccess], scope: KeyScope
) -> dict[str, ProviderAccess]:
    """What an API key may do: its creator's access, at its provider, at its locations (if it
    names some), limited to its permissions. Never a registered person's own powers."""
    held = result.get(scope.provider_id)
    if held is None:
        return {}
    allowed = frozenset(scope.permissions) - {Permission.SIGN_DECLARATIONS}
    whole = held.role_whole | held.member_whole
    if not scope.location_ids:
        # The creator's located grants, each as a membership's with what the key allows.
        grants = [
            g._replace(manager=False, permissions=g.permissions & allowed) for g in held.grants
        ]
        narrowed = ProviderAccess(source=held.source, member_whole=whole & allowed, grants=grants)
        return {scope.provider_id: narrowed}
    narrowed = ProviderAccess(source=held.source, summarised=False)
    chosen = Location.objects.filter(
        provider_id=scope.provider_id, pk__in=scope.location_ids
    ).values_list("pk", *LocationState._fields)
    for location_id, *state in chosen:
        at = held.role_at.get(location_id, _NO_PERMISSIONS) | held.member_at.get(
            location_id, _NO_PERMISSIONS
        )
        narrowed.member_at[location_id] = frozenset(whole | at) & allowed
        narrowed.locations[location_id] = LocationState._make(state)
    return {scope.provider_id: narrowed}


def compute_access(principal: Principal | None) -> dict[str, ProviderAccess]:
    """Work out a principal's access from the register and their memberships (no cache;
    one query, two for an API key limited to chosen locations)."""
    result = _compute_own_access(principal)
    scope = key_scope_of(principal)
    return result if scope is None else _narrowed_to_key(result, scope)


def _compute_own_access(principal: Principal | None) -> dict[str, ProviderAccess]:
    """Each row's grant, its locations left as their JSON text (see
    portal.organisations.provider_access: decoded only when a page asks where)."""
    result: dict[str, ProviderAccess] = {}
    if principal is None or not principal.is_authenticated or not principal.is_active:
        return result
    # Each membership's permissions (JSON text) decoded once for all its rows, into one set
    # they share.
    granted: dict[str, frozenset[str]] = {}
    database = Membership.objects.db
    end_of_provider = 3 + len(PROVIDER_FIELDS)
    rows = _access_rows(principal)
    providers = {
        row[3 + _PROVIDER_PK]: ProviderSource(database, row[3:end_of_provider])
        for row in rows
        if row[3 + _PROVIDER_NAME] is not None  # a row with every column of its provider
    }
    for row in rows:
        role, permissions, whole_provider = row[0], row[1], row[2]
        provider_id = row[3 + _PROVIDER_PK]
        access = result.get(provider_id)
        if access is None:
            access = result[provider_id] = ProviderAccess(source=providers[provider_id])
        located: str | None = row[end_of_provider]
        deregistered: str | None = row[end_of_provider + 1]
        if role:
            access.roles.add(role)
            if role == _MANAGER and located is not None:
                grant = LocatedGrant(True, REGISTERED_MANAGER_PERMISSIONS, located, deregistered)
                access.grants.append(grant)
                continue
            if (role, None) not in access.whole_roles_held:  # a few at most
                access.whole_roles_held.append((role, None))
            if role in WHOLE_PROVIDER_ROLES:
                access.role_whole |= ALL_PERMISSIONS
            elif role == RoleType.PARTNER:
                access.role_whole |= PARTNER_PERMISSIONS
        elif whole_provider:
            access.member_whole |= set(json.loads(permissions))
        elif located is not None:
            these = granted.get(permissions)
            if these is None:
                these = granted[permissions] = frozenset(json.loads(permissions))
            access.grants.append(LocatedGrant(False, these, located, deregistered))
    return result


def access_for(principal: Principal | None) -> dict[str, ProviderAccess]:
    cached = getattr(principal, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = compute_access(principal)
        if principal is not None and principal.is_authenticated:
            setattr(principal, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_access(*principals: Principal | None) -> None:
    """Drop the worked-out access kept on these principal objects (after a change to it)."""
    for principal in principals:
        if principal is not None and hasattr(principal, _CACHE_ATTRIBUTE):
            delattr(principal, _CACHE_ATTRIBUTE)


def provider_access(principal: Principal | None, provider: Provider | str) -> ProviderAccess | None:
    provider_id = provider if isinstance(provider, str) else provider.pk
    access = access_for(principal).get(provider_id)
    return access if access is not None and access.any_access else None


class NamedLocation(NamedTuple):
    """A location as the account page shows it: a plain value, not a model instance (a
    manager of hundreds of locations would otherwise pay for hundreds of them)."""

    pk: str
    name: str


class RoleHeld(NamedTuple):
    """A live register role that still gives access (for "You can act for")."""

    role: str
    provider: Provider
    location: NamedLocation | None


def _roles_giving_access(access: ProviderAccess) -> Iterator[tuple[str, str | None]]:
    """Each live role at this provider that still gives access, with its location's id (None
    for the whole provider): a role at a provider or location past its read-only period
    does not."""
    roles_held = access.roles_held
    # Each location's permissions once, not per role, and only for a role at locations.
    at_each = access.at_each_location() if any(at for _, at in roles_held) else {}
    for role, location_id in roles_held:
        if location_id is None:
            if access.whole_provider_permissions():
                yield role, None
        elif at_each[location_id]:
            yield role, location_id


def _names_query(ids: frozenset[str]) -> QuerySet[Any]:
    return Location.objects.order_by().filter(pk__any_of=ids).values_list("pk", "name")


# The IDs as one array (PostgreSQL): a delegate's "Your providers" names 514 locations.
_NAMES = CompiledRows(
    _names_query,
    {"ids": (frozenset({"-stand-in-1-"}), frozenset({"-stand-in-2-"}))},
    fields={"ids": AnyOfIds()},  # type: ignore[dict-item]  # prepares the value as a field
)


def location_names(location_ids: Iterable[str | None]) -> dict[str, str]:
    """The names of the locations a page lists, in one query (none if it lists none): access
    keeps no names, which most pages never show."""
    wanted = frozenset(location_id for location_id in location_ids if location_id is not None)
    if not wanted:
        return {}
    return dict(_NAMES.rows(Location.objects.db, ids=wanted))


def registered_roles(principal: Principal | None) -> list[RoleHeld]:
    """The principal's register roles that give access today, by provider and location
    name."""
    giving = [
        (role, access, at)
        for access in access_for(principal).values()
        for role, at in _roles_giving_access(access)
    ]
    names = location_names(at for _, _, at in giving)
    held = [
        RoleHeld(role, access.provider, None if at is None else NamedLocation(at, names[at]))
        for role, access, at in giving
    ]
    return sorted(
        held, key=lambda r: (r.provider.name, r.location.name if r.location else "", r.role)
    )


# Above this many locations, one role at one provider is a count on the account page, not
# a row for each location ("Your providers" lists them).
LOCATIONS_LISTED_UP_TO = 10


class RoleAtProvider(NamedTuple):
    """One role at one provider, as "You can act for" shows it: for the whole provider
    (`location_count` 0), at a few locations (each listed), or at more than
    LOCATIONS_LISTED_UP_TO locations (`locations` empty: only counted)."""

    role: str
    provider: Provider
    locations: list[NamedLocation]
    location_count: int


def registered_roles_by_provider(principal: Principal | None) -> list[RoleAtProvider]:
    """registered_roles, one entry per role and provider, by provider name, then the first
    location's name, then role."""
    grouped: list[RoleAtProvider] = []
    # (role, provider, its locations) where the role is at locations.
    located: list[tuple[str, Provider, list[str]]] = []
    for access in access_for(principal).values():
        at: dict[str, list[str]] = {}
        for role, location_id in _roles_giving_access(access):
            if location_id is None:
                grouped.append(RoleAtProvider(role, access.provider, [], 0))
            else:
                at.setdefault(role, []).append(location_id)
        located.extend((role, access.provider, ids) for role, ids in at.items())
    # Named only where listed: a manager of hundreds of locations is a count.
    names = location_names(
        location_id
        for _, _, location_ids in located
        if len(location_ids) <= LOCATIONS_LISTED_UP_TO
        for location_id in location_ids
    )
    for role, provider, location_ids in located:
        listed = (
            []
            if len(location_ids) > LOCATIONS_LISTED_UP_TO
            else sorted((NamedLocation(i, names[i]) for i in location_ids), key=attrgetter("name"))
        )
        grouped.append(RoleAtProvider(role, provider, listed, len(location_ids)))
    return sorted(
        grouped, key=lambda r: (r.provider.name, r.locations[0].name if r.locations else "", r.role)
    )


def delegated_providers(principal: Principal | None) -> list[Provider]:
    """Providers someone gave this principal access to, where they hold no register role."""
    return sorted(
        (
            access.provider
            for access in access_for(principal).values()
            if access.any_access and not access.is_registered_person
        ),
        key=lambda provider: provider.name,
    )


def has_access_anywhere(principal: Principal | None) -> bool:
    return any(access.any_access for access in access_for(principal).values())


def can(
    principal: Principal | None,
    action: str,
    *,
    provider: Provider | str | None = None,
    location: Location | None = None,
) -> bool:
    """May `principal` do `action` (a Permission) ...

    - at `location`, when a location is given (its provider is implied);
    - somewhere in `provider` (the whole provider or at least one location), when only a
      provider is given. Use `scope_for` when the question is "where exactly".
    """
    if action not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {action!r}")
    if location is not None:
        access = provider_access(principal, location.provider_id)
        return access is not None and action in access.permissions_at(location)
    if provider is None:
        raise ValueError("Say which provider or location the question is about.")
    access = provider_access(principal, provider)
    return access is not None and access.has_anywhere(action)


def scope_for(principal: Principal | None, action: str, provider: Provider | str) -> Scope:
    """Where in `provider` the principal may do `action`."""
    access = provider_access(principal, provider)
    return access.scope_for(action) if access is not None else NO_SCOPE


def has_any_access(principal: Principal | None, provider: Provider | str) -> bool:
    """Whether the provider exists for this principal at all (if not, its pages answer 404)."""
    return provider_access(principal, provider) is not None


def providers_for(principal: Principal | None, action: str | None = None) -> QuerySet[Provider]:
    """Providers where the principal may do `action` somewhere (any access when None)."""
    ids = [
        provider_id
        for provider_id, access in access_for(principal).items()
        if access.any_access and (action is None or access.has_anywhere(action))
    ]
    return Provider.objects.filter(pk__in=ids).order_by("name")


def locations_for(
    principal: Principal | None, action: str, provider: Provider | str
) -> QuerySet[Location]:
    """Locations of `provider` where the principal may do `action`, for scoping querysets."""
    provider_id = provider if isinstance(provider, str) else provider.pk
    scope = scope_for(principal, action, provider_id)
    if scope.is_empty:
        return Location.objects.none()
    locations = Location.objects.filter(provider_id=provider_id)
    if not scope.whole_provider:
        return locations.filter(pk__any_of=scope.location_ids).order_by("name")
    # The whole provider: every location whose own registration still allows the action.
    cutoff = timezone.localdate() - dt.timedelta(
        days=settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS
    )
    registered = Q(registration_status=RegistrationStatus.REGISTERED)
    if action in READ_ONLY_PERMISSIONS:
        recently_deregistered = Q(deregistration_date__gte=cutoff) | Q(
            deregistration_date__isnull=True, updated_at__date__gte=cutoff
        )
        return locations.filter(registered | recently_deregistered).order_by("name")
    return locations.filter(registered).order_by("name")
