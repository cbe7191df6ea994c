"""What one principal may do at one provider (ProviderAccess), as portal.organisations.access
works it out: from whole-provider grants, and from located grants (a registered manager's
locations at the provider, a membership's locations) whose locations come as the JSON text of
their access row (portal.organisations.access_rows): their ids, and the deregistered ones'
registration.

A located grant's locations are decoded only when a page asks where: which locations, or the
permissions at one. The questions every page's navigation asks (any access at all, may this
anywhere) are answered from the grants' permissions when none of their locations is
deregistered, the usual case: a delegate at hundreds of locations otherwise paid for decoding
each of them, and a loop over them, on every page.
"""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.organisations.access_rows import LocationState, ProviderSource
from portal.organisations.permissions import ALL_PERMISSIONS, READ_ONLY_PERMISSIONS
from portal.register.models import Location, Provider, RegistrationStatus, RoleType

REGISTERED_MANAGER_PERMISSIONS = ALL_PERMISSIONS
_MANAGER = str(RoleType.REGISTERED_MANAGER)
_DEREGISTERED = str(RegistrationStatus.DEREGISTERED)
# Every location a grant names but its deregistered ones, shared: a location not deregistered
# gives access no limit (status_limit), whatever else is known of it.
_REGISTERED = LocationState(str(RegistrationStatus.REGISTERED), None, None)


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


def status_limit(record: _Registered) -> frozenset[str] | None:
    """The most any permissions keep given a provider's or location's registration: no
    limit (None) while registered, read-only in the read-only period, nothing after."""
    if record.registration_status != RegistrationStatus.DEREGISTERED:
        return None
    read_only_days = settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS
    if timezone.localdate() - _deregistered_on(record) > dt.timedelta(days=read_only_days):
        return frozenset()
    return READ_ONLY_PERMISSIONS


def allowed_by_status(record: _Registered, permissions: Iterable[str]) -> frozenset[str]:
    """What survives of `permissions` given the provider's or location's registration."""
    held = frozenset(permissions)
    limit = status_limit(record)
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


class LocatedGrant(NamedTuple):
    """Permissions at some locations of a provider: a registered manager's (`manager`) or a
    membership's, the locations as their access row's JSON text (see access_rows): their
    ids (`located`), and the deregistered ones' registration (`deregistered`, None if none
    is)."""

    manager: bool
    permissions: frozenset[str]
    located: str
    deregistered: str | None


@dataclass
class ProviderAccess:
    """Everything one user may do at one provider, and where it comes from.

    Built once per request (`access_for`) and not changed after; what is derived from it
    (the located grants' locations, the permissions at each location, the scope of each
    permission) is worked out on first use and kept, since a page asks the same question for
    hundreds of locations. The permissions at a location are frozensets shared by every
    location with the same sources and registration: a manager's or delegate's hundreds of
    locations hold a few distinct sets, each worked out once.

    `summarised` says every location's access comes from `grants` (not set by hand, as for
    an API key narrowed to chosen locations), so that _anywhere may answer from them."""

    source: ProviderSource
    role_whole: set[str] = field(default_factory=set)
    member_whole: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    grants: list[LocatedGrant] = field(default_factory=list)
    summarised: bool = True
    # Each live register role but a manager's at a location once (those come with grants).
    whole_roles_held: list[tuple[str, str | None]] = field(default_factory=list)
    _role_at: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _member_at: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _locations: dict[str, LocationState] = field(default_factory=dict, repr=False)
    _roles_held: list[tuple[str, str | None]] | None = field(default=None, repr=False)
    _decoded: bool = field(default=False, repr=False, compare=False)
    # Each grant's location ids decoded (once, whether for their ids or their states).
    _entries: dict[int, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _whole: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _reach: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _at_each: dict[str, frozenset[str]] | None = field(default=None, repr=False, compare=False)
    # The locations holding each distinct set of permissions (from _at_each).
    _by_held: dict[frozenset[str], list[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _scopes: dict[str, Scope] = field(default_factory=dict, repr=False, compare=False)

    @property
    def provider(self) -> Provider:
        return self.source.provider

    def _decode(self) -> None:
        """The located grants' locations, each grant's permissions at each (once)."""
        if self._decoded:
            return
        self._decoded = True
        managed: dict[str, None] = {}  # a location named twice is one role
        for number, grant in enumerate(self.grants):
            states = _states(self._entries_of(number, grant), grant.deregistered)
            if grant.manager:
                managed.update(dict.fromkeys(states))
                self._role_at.update(dict.fromkeys(states, REGISTERED_MANAGER_PERMISSIONS))
                self._locations.update(states)
            else:
                _add_member_locations(self, grant.permissions, states)
        self._roles_held = [*self.whole_roles_held, *((_MANAGER, i) for i in managed)]

    def _entries_of(self, number: int, grant: LocatedGrant) -> list[str]:
        entries = self._entries.get(number)
        if entries is None:
            entries = self._entries[number] = json.loads(grant.located)
        return entries

    @property
    def locations_decoded(self) -> bool:
        """Whether the located grants' locations have been read (for tests of laziness)."""
        return self._decoded

    @property
    def role_at(self) -> dict[str, frozenset[str]]:
        self._decode()
        return self._role_at

    @property
    def member_at(self) -> dict[str, frozenset[str]]:
        self._decode()
        return self._member_at

    @property
    def locations(self) -> dict[str, LocationState]:
        self._decode()
        return self._locations

    @property
    def roles_held(self) -> list[tuple[str, str | None]]:
        """Each live register role once: (role, location id or None for the whole
        provider)."""
        if not any(grant.manager for grant in self.grants):
            return list(self.whole_roles_held)
        self._decode()
        assert self._roles_held is not None
        return self._roles_held

    def whole_provider_permissions(self) -> frozenset[str]:
        if self._whole is None:
            self._whole = allowed_by_status(self.source, self.role_whole | self.member_whole)
        return self._whole

    def _anywhere(self) -> frozenset[str] | None:
        """The permissions held somewhere at this provider, from the grants alone: each
        grant's permissions hold at its locations that are not deregistered. None where that
        needs each location's registration (a grant with a deregistered location)."""
        if self._reach is None:
            if not self.summarised or any(g.deregistered is not None for g in self.grants):
                return None
            held = set(self.role_whole | self.member_whole)
            for grant in self.grants:
                held |= grant.permissions
            self._reach = allowed_by_status(self.source, held)
        return self._reach

    def _held_at(self, location_id: str) -> frozenset[str]:
        """The permissions this principal's roles and memberships give at a location,
        before any registration limits them."""
        return (
            frozenset(self.role_whole | self.member_whole)
            | self.role_at.get(location_id, _NO_PERMISSIONS)
            | self.member_at.get(location_id, _NO_PERMISSIONS)
        )

    def at_each_location(self) -> dict[str, frozenset[str]]:
        """The permissions at each location a grant names, registration limits applied."""
        if self._at_each is None:
            whole = frozenset(self.role_whole | self.member_whole)
            provider_limit = status_limit(self.source)
            role_at, member_at = self.role_at.get, self.member_at.get
            # (role's, membership's, location's registration limit) -> the permissions, and
            # the locations that have them.
            worked_out: dict[tuple[Any, Any, Any], tuple[frozenset[str], list[str]]] = {}
            at_each: dict[str, frozenset[str]] = {}
            for location_id, state in self.locations.items():
                # status_limit's answer for a location not deregistered, without the call.
                limit = None if state.registration_status != _DEREGISTERED else status_limit(state)
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
        held = allowed_by_status(self.source, self._held_at(location.pk))
        return allowed_by_status(location, held)

    def scope_for(self, permission: str) -> Scope:
        scope = self._scopes.get(permission)
        if scope is None:
            anywhere = self._anywhere()
            if permission in self.whole_provider_permissions():
                scope = Scope(whole_provider=True)
            elif anywhere is not None:
                scope = self._granted_scope(permission, anywhere)
            else:
                self.at_each_location()
                scope = Scope(
                    whole_provider=False,
                    location_ids=frozenset().union(
                        *(ids for held, ids in self._by_held.items() if permission in held)
                    ),
                )
            self._scopes[permission] = scope
        return scope

    def _granted_scope(self, permission: str, anywhere: frozenset[str]) -> Scope:
        """Where the grants give `permission`, none of their locations deregistered (see
        _anywhere): at every location of each grant that gives it, if the provider's
        registration leaves it. Only the locations' ids are read, not their states."""
        if permission not in anywhere:
            return NO_SCOPE
        location_ids: set[str] = set()
        for number, grant in enumerate(self.grants):
            if permission in grant.permissions:
                location_ids.update(self._entries_of(number, grant))
        return Scope(whole_provider=False, location_ids=frozenset(location_ids))

    def has_anywhere(self, permission: str) -> bool:
        anywhere = self._anywhere()
        if anywhere is not None:
            return permission in anywhere
        return not self.scope_for(permission).is_empty

    @property
    def any_access(self) -> bool:
        if self.whole_provider_permissions():
            return True
        anywhere = self._anywhere()
        if anywhere is not None:
            return bool(anywhere)
        self.at_each_location()
        return any(self._by_held)

    @property
    def is_registered_person(self) -> bool:
        return bool(self.roles)


def _moment(value: str | None) -> dt.datetime | None:
    """A timestamp as JSON gives it (PostgreSQL: with its offset; SQLite: in UTC, without)."""
    parsed = parse_datetime(value) if value is not None else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _dated(entry: list[Any]) -> LocationState:
    """A deregistered location's entry ([id, registration status, deregistration date,
    updated at]: see access_rows), with the dates access reads."""
    day = parse_date(entry[2]) if entry[2] is not None else None
    return LocationState(entry[1], day, _moment(entry[3]))


def _states(location_ids: list[str], deregistered: str | None) -> dict[str, LocationState]:
    """The locations of a row by id: each deregistered one's registration, the rest
    _REGISTERED (see access_rows)."""
    states = dict.fromkeys(location_ids, _REGISTERED)
    if deregistered is not None:
        states.update((entry[0], _dated(entry)) for entry in json.loads(deregistered))
    return states


def _add_member_locations(
    access: ProviderAccess, these: frozenset[str], states: dict[str, LocationState]
) -> None:
    """A membership's `these` permissions at its locations."""
    member_at, locations = access._member_at, access._locations
    # Whole dicts at a time in the usual case, a location named by no other row.
    if member_at.keys().isdisjoint(states):
        member_at.update(dict.fromkeys(states, these))
    else:
        for location_id in states:
            earlier = member_at.get(location_id)
            member_at[location_id] = these if earlier is None else earlier | these
    # Every row gives a location the same state, so any will do.
    locations.update(states)
