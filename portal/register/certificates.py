"""The certificate of registration: what a provider is registered to do, where, by whom,
and on what conditions - read from the register as it is today, in a fixed number of
queries whatever the provider's size."""

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from portal.compiled_queries import CompiledObjects, CompiledRows
from portal.register.models import (
    ADDRESS_FIELDS,
    Condition,
    Location,
    NamedPeople,
    Person,
    Provider,
    RegistrationStatus,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    address_lines_of,
)
from portal.register.row_versions import RowVersion, VersionsOf


class CertifiedPlace(NamedTuple):
    """What the certificate says of a location: read as plain values, not a model each (a
    large provider has a thousand; a named tuple is made in a fraction of a frozen
    dataclass's time)."""

    id: str
    name: str
    address_lines: list[str]


@dataclass(slots=True)  # a thousand of them: no __dict__ each
class CertificateLocation:
    location: CertifiedPlace
    activities: list[RegulatedActivity]
    managers: list[Person] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)


@dataclass
class ManagerConditions:
    manager: Person
    conditions: list[Condition]


@dataclass
class Certificate:
    provider: Provider
    issued_on: dt.date
    activities: list[RegulatedActivity]
    nominated_individuals: list[Person]
    responsible_individuals: list[Person]
    main_partners: list[Person]
    partners: list[Person]
    # In the table's order; read from the register, a `ReadLocations` (made when walked).
    locations: Sequence[CertificateLocation]
    provider_conditions: list[Condition]
    manager_conditions: list[ManagerConditions]
    # A digest of the rows the locations table is drawn from (certificate_pages keeps the
    # table by it); empty for a certificate put together otherwise.
    table_digest: str = ""
    # The register state it was read from (CertificateState.digest: certificate_files keys
    # its PDF by it); empty for a certificate put together, or changed after it was read.
    state_digest: str = ""

    @property
    def location_conditions(self) -> list[CertificateLocation]:
        """The locations with conditions of their own, in the table's order."""
        if isinstance(self.locations, ReadLocations):
            return self.locations.with_conditions()
        return [entry for entry in self.locations if entry.conditions]


def certificate_filename(provider_id: str) -> str:
    """The name a downloaded certificate is saved under."""
    return f"certificate-of-registration-{provider_id}.pdf"


# What the certificate shows of a role and its holder (the name alone of each person).
ROLE_FIELDS = (
    "role",
    "location_id",
    "person_id",
    "person__title",
    "person__given_name",
    "person__family_name",
)


def _named_roles(rows: list[tuple[Any, ...]]) -> list[tuple[str, str | None, Person]]:
    """The provider's live roles as (role, location ID, holder). A registered manager of
    hundreds of locations holds a role at each: each person is made once, from the values
    the certificate shows, not a model instance (and every column of the person) per role."""
    people = NamedPeople()
    return [(role, location_id, people.named(*name)) for role, location_id, *name in rows]


def _people(roles: list[tuple[str, str | None, Person]], role: RoleType) -> list[Person]:
    found: dict[int, Person] = {}
    for held, _location_id, person in roles:
        if held == role:
            found.setdefault(person.pk, person)
    return sorted(found.values(), key=lambda person: (person.family_name, person.given_name))


LOCATION_FIELDS = (
    "id",
    "name",
    *ADDRESS_FIELDS,
)


# Each query is the same for every provider and day but for their values: built and compiled
# once (portal.compiled_queries), as building them cost more than PostgreSQL answering.
# No provider has these IDs; the days are stand-ins too.
_PROVIDERS = ("-stand-in-cert-1-", "-stand-in-cert-2-")
_DAYS = (dt.date(1901, 1, 1), dt.date(1902, 2, 2))
_DAY_FIELD = {"today": Condition._meta.get_field("start_date")}


def _places_query(provider_id: str) -> QuerySet[Any]:
    return (
        Location.objects.filter(
            provider_id=provider_id, registration_status=RegistrationStatus.REGISTERED
        )
        .order_by("name", "id")
        .values_list(*LOCATION_FIELDS)
    )


def _roles_query(provider_id: str, today: dt.date) -> QuerySet[Any]:
    # In family-name order; people of one name by who they are, so that the same register
    # reads the same rows in the same order (the table's digest is of these rows).
    return (
        RoleAssignment.objects.live(on=today)
        .filter(provider_id=provider_id)
        .order_by("person__family_name", "person__given_name", "person_id", "location_id", "pk")
        .values_list(*ROLE_FIELDS)
    )


def _links_query(provider_id: str) -> QuerySet[Any]:
    # Each location's activities by name, joined by provider (not by a thousand IDs).
    return (
        Location.activities.through.objects.filter(location__provider_id=provider_id)
        .order_by("regulatedactivity__name", "location_id", "regulatedactivity_id")
        .values_list("location_id", "regulatedactivity_id", "regulatedactivity__name")
    )


def _provider_activities_query(provider_id: str) -> QuerySet[Any]:
    return Provider.activities.through.objects.filter(provider_id=provider_id).values_list(
        "regulatedactivity_id", "regulatedactivity__name"
    )


def _conditions_query(provider_id: str, today: dt.date) -> QuerySet[Any]:
    return (
        Condition.objects.in_force(today)
        .filter(provider_id=provider_id)
        .select_related("manager", "activity")
        .order_by("start_date", "id")
    )


_PROVIDER = CompiledObjects.by_key(
    Provider.objects.filter(registration_status=RegistrationStatus.REGISTERED), _PROVIDERS
)
# Prepared (compiled_queries): planning them cost PostgreSQL more than running most of them.
# Not the activities of each location: for a thousand locations its generic plan (which a
# prepared statement comes to) ran half as long again as the plan made for the provider.
_PLACES = CompiledRows(_places_query, {"provider_id": _PROVIDERS}, prepared=True)
_ROLES = CompiledRows(
    _roles_query, {"provider_id": _PROVIDERS, "today": _DAYS}, _DAY_FIELD, prepared=True
)
_LINKS = CompiledRows(_links_query, {"provider_id": _PROVIDERS})
_PROVIDER_ACTIVITIES = CompiledRows(
    _provider_activities_query, {"provider_id": _PROVIDERS}, prepared=True
)
_CONDITIONS = CompiledObjects(
    _conditions_query, {"provider_id": _PROVIDERS, "today": _DAYS}, _DAY_FIELD, prepared=True
)


@dataclass(frozen=True)
class CertificateState:
    """A registered provider, how many locations its certificate lists, and what names the
    register state the certificate would be read from today: enough to find a stored PDF,
    or to say it is being made, without reading the certificate."""

    provider: Provider
    locations: int
    digest: str  # empty where the database keeps no row versions (SQLite)


def _state_query(provider_id: str, today: dt.date) -> QuerySet[Provider]:
    """The provider with the versions of every row its certificate is read from (the
    queries above, by row and joined row: see row_versions)."""
    registered = Provider.objects.filter(registration_status=RegistrationStatus.REGISTERED)
    return (
        registered.order_by()
        .filter(pk=provider_id)
        .annotate(
            provider_version=RowVersion("pk"),
            place_versions=VersionsOf(_places_query(provider_id)),
            role_versions=VersionsOf(_roles_query(provider_id, today), "person__family_name"),
            link_versions=VersionsOf(_links_query(provider_id), "regulatedactivity__name"),
            condition_versions=VersionsOf(
                _conditions_query(provider_id, today), "manager__family_name", "activity__name"
            ),
            activity_versions=VersionsOf(
                _provider_activities_query(provider_id), "regulatedactivity__name"
            ),
        )
    )


_STATE = CompiledObjects(
    _state_query, {"provider_id": _PROVIDERS, "today": _DAYS}, _DAY_FIELD, prepared=True
)
_STATE_VERSIONS = (
    "provider_version",
    "place_versions",
    "role_versions",
    "link_versions",
    "condition_versions",
    "activity_versions",
)


def certificate_state(provider_id: str, today: dt.date | None = None) -> CertificateState | None:
    """The state of a registered provider's certificate (None for one not registered). One
    statement on PostgreSQL, where the rows' versions name the state; elsewhere the digest
    is empty, and the certificate's PDF is named by drawing it."""
    alias = Provider.objects.db
    if connections[alias].vendor != "postgresql":
        provider = registered_provider(provider_id)
        if provider is None:
            return None
        places = _places_query(provider.pk).using(alias).count()
        return CertificateState(provider, places, "")
    found = _STATE.objects(alias, provider_id=provider_id, today=today or timezone.localdate())
    if not found:
        return None
    provider = found[0]
    digest = "|".join(str(getattr(provider, name)) for name in _STATE_VERSIONS)
    locations, _, _ = provider.place_versions.partition(":")  # the count of its rows first
    return CertificateState(provider, int(locations), digest)


def _activities(
    rows: list[tuple[str, str]], made: dict[str, RegulatedActivity]
) -> list[RegulatedActivity]:
    """Activities from (code, name) rows, each made once."""
    found = []
    for code, name in rows:
        activity = made.get(code)
        if activity is None:
            activity = made[code] = RegulatedActivity(code=code, name=name)
        found.append(activity)
    return found


def _add_location_activities(
    by_location: dict[str, CertificateLocation],
    links: list[tuple[str, str, str]],
    made: dict[str, RegulatedActivity],
) -> None:
    for location_id, code, name in links:
        entry = by_location.get(location_id)
        if entry is None:  # not registered: not on the certificate
            continue
        activity = made.get(code)
        if activity is None:
            activity = made[code] = RegulatedActivity(code=code, name=name)
        entry.activities.append(activity)


class ReadLocations(Sequence[CertificateLocation]):
    """A certificate's registered locations as read from the register, made into entries
    only when something walks them. A large provider's page draws its locations table from
    the cache (certificate_pages, by the rows' digest) and asks only how many there are and
    which have conditions: making a thousand entries was most of its time (8 of 12 ms)."""

    def __init__(
        self,
        place_rows: list[tuple[Any, ...]],
        link_rows: list[tuple[str, str, str]],
        roles: list[tuple[str, str | None, Person]],
        conditions: dict[str, list[Condition]],
        made: dict[str, RegulatedActivity],
    ) -> None:
        self._place_rows = place_rows
        self._link_rows = link_rows
        self._roles = roles
        self._conditions = conditions  # by location ID, any location of the provider's
        self._made = made  # the activities made so far, shared with the provider's
        self._entries: list[CertificateLocation] | None = None

    def __len__(self) -> int:
        return len(self._place_rows)

    @overload
    def __getitem__(self, index: int) -> CertificateLocation: ...

    @overload
    def __getitem__(self, index: slice) -> list[CertificateLocation]: ...

    def __getitem__(self, index: int | slice) -> CertificateLocation | list[CertificateLocation]:
        return self._walked()[index]

    def __iter__(self) -> Iterator[CertificateLocation]:
        return iter(self._walked())

    def with_conditions(self) -> list[CertificateLocation]:
        """The locations with conditions of their own (none made when no location has any)."""
        if not self._conditions:
            return []
        return [entry for entry in self._walked() if entry.conditions]

    def _walked(self) -> list[CertificateLocation]:
        if self._entries is None:
            by_location = {
                pk: CertificateLocation(CertifiedPlace(pk, name, address_lines_of(*address)), [])
                for pk, name, *address in self._place_rows
            }
            _add_location_activities(by_location, self._link_rows, self._made)
            for role, location_id, person in self._roles:
                entry = by_location.get(location_id or "")
                is_manager = role == RoleType.REGISTERED_MANAGER
                if is_manager and entry is not None and person not in entry.managers:
                    entry.managers.append(person)
            for location_id, conditions in self._conditions.items():
                if location_id in by_location:  # not registered: not on the certificate
                    by_location[location_id].conditions.extend(conditions)
            self._entries = list(by_location.values())
        return self._entries


def _table_digest(display_name: str, *rows: list[tuple[Any, ...]]) -> str:
    """A digest of everything the locations table is drawn from: the rows as read, in one
    repr (made in C, where walking a thousand drawn entries in Python cost 5 ms). The same
    rows always draw the same table; other roles in them only make a new digest."""
    return hashlib.sha256(repr((display_name, rows)).encode()).hexdigest()


def certificate_for(provider_id: str) -> Certificate | None:
    """The certificate of a registered provider (None for one not registered: a cancelled
    registration has no certificate)."""
    today = timezone.localdate()
    # The state first: the rows read after it are of that state or a later one, and a state
    # once left is never named again, so a key kept for it never names an older certificate.
    state = certificate_state(provider_id, today)
    if state is None:
        return None
    provider = state.provider
    alias = Provider.objects.db
    # Only what the certificate shows, as values: a large provider's thousand locations are
    # otherwise most of the page's time, in model instances and a prefetch naming every ID.
    place_rows = _PLACES.rows(alias, provider_id=provider.pk)
    role_rows = _ROLES.rows(alias, provider_id=provider.pk, today=today)
    link_rows = _LINKS.rows(alias, provider_id=provider.pk)
    conditions: list[Condition] = _CONDITIONS.objects(alias, provider_id=provider.pk, today=today)
    activity_rows = _PROVIDER_ACTIVITIES.rows(alias, provider_id=provider.pk)
    certificate = assemble_certificate(
        provider,
        today,
        place_rows=place_rows,
        role_rows=role_rows,
        link_rows=link_rows,
        conditions=conditions,
        activity_rows=activity_rows,
    )
    certificate.table_digest = _table_digest(
        provider.display_name, place_rows, link_rows, role_rows
    )
    certificate.state_digest = state.digest
    return certificate


def provider_activity_rows(provider_id: str) -> list[tuple[Any, ...]]:
    """The provider's regulated activities as (code, name) rows."""
    return _PROVIDER_ACTIVITIES.rows(Provider.objects.db, provider_id=provider_id)


def registered_provider(provider_id: str) -> Provider | None:
    """The provider, if registered (only a registered provider has a certificate)."""
    found: Provider | None = _PROVIDER.one(provider_id)
    return found


def assemble_certificate(
    provider: Provider,
    today: dt.date,
    *,
    place_rows: list[tuple[Any, ...]],
    role_rows: list[tuple[Any, ...]],
    link_rows: list[tuple[Any, ...]],
    conditions: list[Condition],
    activity_rows: list[tuple[Any, ...]],
) -> Certificate:
    """The certificate of the rows read: `place_rows` are the locations it lists (every
    registered one, or a page of them), in the table's order."""
    made: dict[str, RegulatedActivity] = {}
    activities = _activities(activity_rows, made)
    roles = _named_roles(role_rows)
    provider_conditions: list[Condition] = []
    location_conditions: dict[str, list[Condition]] = {}
    manager_conditions: dict[int, ManagerConditions] = {}
    for condition in conditions:
        if condition.manager_id is not None and condition.manager is not None:
            manager_conditions.setdefault(
                condition.manager_id, ManagerConditions(condition.manager, [])
            ).conditions.append(condition)
        elif condition.location_id is not None:
            location_conditions.setdefault(condition.location_id, []).append(condition)
        else:
            provider_conditions.append(condition)
    return Certificate(
        provider=provider,
        issued_on=today,
        activities=sorted(activities, key=lambda item: item.name),
        nominated_individuals=_people(roles, RoleType.NOMINATED_INDIVIDUAL),
        responsible_individuals=_people(roles, RoleType.RESPONSIBLE_INDIVIDUAL),
        main_partners=_people(roles, RoleType.MAIN_PARTNER),
        partners=_people(roles, RoleType.PARTNER),
        locations=ReadLocations(place_rows, link_rows, roles, location_conditions, made),
        provider_conditions=provider_conditions,
        manager_conditions=list(manager_conditions.values()),
    )
