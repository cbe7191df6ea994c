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
(LocationState), not model instances: a delegate at hundreds of locations would otherwise pay
for hundreds of objects on every page. Services that change access
call `forget_access`.
"""

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.access import KeyScope, Principal, key_scope_of
from portal.organisations.access_rows import (
    PROVIDER_FIELDS,
    LocationState,
    ProviderSource,
    access_rows,
    live_role_q,
)
from portal.organisations.models import Membership
from portal.organisations.permissions import ALL_PERMISSIONS, READ_ONLY_PERMISSIONS, Permission
from portal.register.models import (
    Location,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)

WHOLE_PROVIDER_ROLES = frozenset(
    {RoleType.NOMINATED_INDIVIDUAL, RoleType.RESPONSIBLE_INDIVIDUAL, RoleType.MAIN_PARTNER}
)
REGISTERED_MANAGER_PERMISSIONS = ALL_PERMISSIONS
_MANAGER = str(RoleType.REGISTERED_MANAGER)
_DEREGISTERED = str(RegistrationStatus.DEREGISTERED)
PARTNER_PERMISSIONS = frozenset({Permission.VIEW_SUBMISSIONS})

_CACHE_ATTRIBUTE = "_organisations_access"


@dataclass(frozen=True)
class Scope:
    """Where a permission applies: the whole provider, or these locations."""

    whole_provider: bool
    location_ids: frozenset[str] = frozenset()

    def covers(self, other: "Scope") -> bool:
        if self.whole_provider:
            return True
        if other.whole_provider:
            return False
        return other.location_ids <= self.location_ids

    @property
    def is_empty(self) -> bool:
        return not self.whole_provider and not self.location_ids


NO_SCOPE = Scope(whole_provider=False)


_Registered = Provider | Location | LocationState | ProviderSource


def _deregistered_on(record: _Registered) -> dt.date:
    if record.deregistration_date is not None:
        return record.deregistration_date
    return timezone.localdate(record.updated_at) if record.updated_at else timezone.localdate()


def _status_limit(record: _Registered) -> frozenset[str] | None:
    """The most any permissions keep given a provider's or location's registration: no
    limit (None) while registered, read-only in the read-only period, nothing after."""
    if record.registration_status != RegistrationStatus.DEREGISTERED:
        return None
    read_only_days = settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS
    if timezone.localdate() - _deregistered_on(record) > dt.timedelta(days=read_only_days):
        return frozenset()
    return READ_ONLY_PERMISSIONS


def _allowed_by_status(record: _Registered, permissions: Iterable[str]) -> frozenset[str]:
    """What survives of `permissions` given the provider's or location's registration."""
    held = frozenset(permissions)
    limit = _status_limit(record)
    return held if limit is None else held & limit


_NO_PERMISSIONS: frozenset[str] = frozenset()


def _limited(
    whole: frozenset[str],
    role: frozenset[str] | None,
    member: frozenset[str] | None,
    *limits: frozenset[str] | None,
) -> frozenset[str]:
    """The permissions from a whole-provider grant, a role and a membership at a location,
    less what registration limits take away."""
    held = whole | (role or _NO_PERMISSIONS) | (member or _NO_PERMISSIONS)
    for limit in limits:
        if limit is not None:
            held &= limit
    return held


@dataclass
class ProviderAccess:
    """Everything one user may do at one provider, and where it comes from.

    Built once per request (`access_for`) and not changed after; what is derived from it
    (the permissions at each location, the scope of each permission) is worked out on first
    use and kept, since a page asks the same question for hundreds of locations. The
    permissions at a location are frozensets shared by every location with the same
    sources and registration: a manager's or delegate's hundreds of locations hold a few
    distinct sets, each worked out once."""

    source: ProviderSource
    role_whole: set[str] = field(default_factory=set)
    role_at: dict[str, frozenset[str]] = field(default_factory=dict)
    member_whole: set[str] = field(default_factory=set)
    member_at: dict[str, frozenset[str]] = field(default_factory=dict)
    locations: dict[str, LocationState] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    # Each live register role once: (role, location id or None for the whole provider).
    roles_held: list[tuple[str, str | None]] = field(default_factory=list)
    _whole: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _at_each: dict[str, frozenset[str]] | None = field(default=None, repr=False, compare=False)
    # The locations holding each distinct set of permissions (from _at_each).
    _by_held: dict[frozenset[str], list[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _scopes: dict[str, Scope] = field(default_factory=dict, repr=False, compare=False)

    @property
    def provider(self) -> Provider:
        return self.source.provider

    def whole_provider_permissions(self) -> frozenset[str]:
        if self._whole is None:
            self._whole = _allowed_by_status(self.source, self.role_whole | self.member_whole)
        return self._whole

    def _held_at(self, location_id: str) -> frozenset[str]:
        """The permissions this principal's roles and memberships give at a location,
        before any registration limits them."""
        return (
            frozenset(self.role_whole | self.member_whole)
            | self.role_at.get(location_id, _NO_PERMISSIONS)
            | self.member_at.get(location_id, _NO_PERMISSIONS)
        )

    def _at_each_location(self) -> dict[str, frozenset[str]]:
        if self._at_each is None:
            whole = frozenset(self.role_whole | self.member_whole)
            provider_limit = _status_limit(self.source)
            role_at, member_at = self.role_at.get, self.member_at.get
            # (role's, membership's, location's registration limit) -> the permissions, and
            # the locations that have them.
            worked_out: dict[tuple[Any, Any, Any], tuple[frozenset[str], list[str]]] = {}
            at_each: dict[str, frozenset[str]] = {}
            for location_id, state in self.locations.items():
                # _status_limit's answer for a location not deregistered, without the call.
                limit = None if state.registration_status != _DEREGISTERED else _status_limit(state)
                key = (role_at(location_id), member_at(location_id), limit)
                group = worked_out.get(key)
                if group is None:
                    group = worked_out[key] = (_limited(whole, *key, provider_limit), [])
                at_each[location_id] = group[0]
                group[1].append(location_id)
            by_held: dict[frozenset[str], list[str]] = {}
            for held, location_ids in worked_out.values():
                by_held.setdefault(held, []).extend(location_ids)
            self._at_each, self._by_held = at_each, by_held
        return self._at_each

    def permissions_at(self, location: Location) -> frozenset[str]:
        if location.provider_id != self.source.pk:
            return frozenset()
        # From the caller's copy of the location: its registration may be newer than ours.
        held = _allowed_by_status(self.source, self._held_at(location.pk))
        return _allowed_by_status(location, held)

    def scope_for(self, permission: str) -> Scope:
        scope = self._scopes.get(permission)
        if scope is None:
            if permission in self.whole_provider_permissions():
                scope = Scope(whole_provider=True)
            else:
                self._at_each_location()
                scope = Scope(
                    whole_provider=False,
                    location_ids=frozenset().union(
                        *(ids for held, ids in self._by_held.items() if permission in held)
                    ),
                )
            self._scopes[permission] = scope
        return scope

    def has_anywhere(self, permission: str) -> bool:
        return not self.scope_for(permission).is_empty

    @property
    def any_access(self) -> bool:
        if self.whole_provider_permissions():
            return True
        self._at_each_location()
        return any(self._by_held)

    @property
    def is_registered_person(self) -> bool:
        return bool(self.roles)


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
    narrowed = ProviderAccess(source=held.source)
    whole = held.role_whole | held.member_whole
    if not scope.location_ids:
        narrowed.member_whole = whole & allowed
        for location_id, location in held.locations.items():
            at = held.role_at.get(location_id, _NO_PERMISSIONS) | held.member_at.get(
                location_id, _NO_PERMISSIONS
            )
            narrowed.member_at[location_id] = at & allowed
            narrowed.locations[location_id] = location
        return {scope.provider_id: narrowed}
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
    result: dict[str, ProviderAccess] = {}
    if principal is None or not principal.is_authenticated or not principal.is_active:
        return result
    roles_seen: set[tuple[str, str, str | None]] = set()
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
        located = row[end_of_provider]
        states = _states(json.loads(located)) if located is not None else {}
        if role:
            access.roles.add(role)
            if role == _MANAGER and states:
                _add_managed(access, provider_id, states, roles_seen)
                continue
            # A set of keys, not `in roles_held`: a list scan is quadratic for a manager of
            # hundreds of locations.
            key = (provider_id, role, None)
            if key not in roles_seen:
                roles_seen.add(key)
                access.roles_held.append((role, None))
            if role in WHOLE_PROVIDER_ROLES:
                access.role_whole |= ALL_PERMISSIONS
            elif role == RoleType.PARTNER:
                access.role_whole |= PARTNER_PERMISSIONS
        elif whole_provider:
            access.member_whole |= set(json.loads(permissions))
        else:
            these = granted.get(permissions)
            if these is None:
                these = granted[permissions] = frozenset(json.loads(permissions))
            _add_member_locations(access, these, states)
    return result


def _moment(value: str | None) -> dt.datetime | None:
    """A timestamp as JSON gives it (PostgreSQL: with its offset; SQLite: in UTC, without)."""
    parsed = parse_datetime(value) if value is not None else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _dated(entry: list[Any]) -> LocationState:
    """A deregistered location's entry, with the dates access reads (see access_rows)."""
    day = parse_date(entry[3]) if entry[3] is not None else None
    return LocationState(entry[1], entry[2], day, _moment(entry[4]))


def _states(located: list[Any]) -> dict[str, LocationState]:
    """The locations of a row (each [id, name, registration status, deregistration date,
    updated at]: see access_rows), by id."""
    state_of = tuple.__new__  # LocationState's own __new__ is a Python call per location
    return {
        entry[0]: state_of(LocationState, (entry[1], entry[2], None, None))
        if entry[3] is None and entry[4] is None
        else _dated(entry)
        for entry in located
    }


def _add_managed(
    access: ProviderAccess,
    provider_id: str,
    states: dict[str, LocationState],
    roles_seen: set[tuple[str, str, str | None]],
) -> None:
    """A registered manager's locations at this provider: every permission at each."""
    for location_id in states:
        key = (provider_id, _MANAGER, location_id)
        if key not in roles_seen:
            roles_seen.add(key)
            access.roles_held.append((_MANAGER, location_id))
    access.role_at.update(dict.fromkeys(states, REGISTERED_MANAGER_PERMISSIONS))
    access.locations.update(states)


def _add_member_locations(
    access: ProviderAccess, these: frozenset[str], states: dict[str, LocationState]
) -> None:
    """A membership's `these` permissions at its locations."""
    member_at, locations = access.member_at, access.locations
    # Whole dicts at a time in the usual case, a location named by no other row.
    if member_at.keys().isdisjoint(states):
        member_at.update(dict.fromkeys(states, these))
    else:
        for location_id in states:
            earlier = member_at.get(location_id)
            member_at[location_id] = these if earlier is None else earlier | these
    # Every row gives a location the same state, so any will do.
    locations.update(states)


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
    at_each = access._at_each_location()  # once, not per role
    for role, location_id in access.roles_held:
        if location_id is None:
            if access.whole_provider_permissions():
                yield role, None
        elif at_each[location_id]:
            yield role, location_id


def _named(access: ProviderAccess, at: str) -> NamedLocation:
    return NamedLocation(at, access.locations[at].name)


def registered_roles(principal: Principal | None) -> list[RoleHeld]:
    """The principal's register roles that give access today, by provider and location
    name."""
    held = [
        RoleHeld(role, access.provider, None if at is None else _named(access, at))
        for access in access_for(principal).values()
        for role, at in _roles_giving_access(access)
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
    for access in access_for(principal).values():
        at: dict[str, list[str]] = {}
        for role, location_id in _roles_giving_access(access):
            if location_id is None:
                grouped.append(RoleAtProvider(role, access.provider, [], 0))
            else:
                at.setdefault(role, []).append(location_id)
        for role, location_ids in at.items():
            # Named only where listed: a manager of hundreds of locations is a count.
            listed = (
                []
                if len(location_ids) > LOCATIONS_LISTED_UP_TO
                else sorted((_named(access, i) for i in location_ids), key=attrgetter("name"))
            )
            grouped.append(RoleAtProvider(role, access.provider, listed, len(location_ids)))
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
