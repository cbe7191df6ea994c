"""The certificate of registration: what a provider is registered to do, where, by whom,
and on what conditions - read from the register as it is today, in a fixed number of
queries whatever the provider's size."""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from portal.register.models import (
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
    locations: list[CertificateLocation]
    provider_conditions: list[Condition]
    manager_conditions: list[ManagerConditions]

    @property
    def filename(self) -> str:
        return f"certificate-of-registration-{self.provider.id}.pdf"


# What the certificate shows of a role and its holder (the name alone of each person).
_ROLE_FIELDS = (
    "role",
    "location_id",
    "person_id",
    "person__title",
    "person__given_name",
    "person__family_name",
)


def _live_roles(provider: Provider, today: dt.date) -> list[tuple[str, str | None, Person]]:
    """The provider's live roles as (role, location ID, holder), in family-name order. A
    registered manager of hundreds of locations holds a role at each: each person is made
    once, from the values the certificate shows, not a model instance (and every column of
    the person) per role."""
    people = NamedPeople()
    return [
        (role, location_id, people.named(*name))
        for role, location_id, *name in (
            RoleAssignment.objects.live(on=today)
            .filter(provider=provider)
            .order_by("person__family_name", "person__given_name")
            .values_list(*_ROLE_FIELDS)
        )
    ]


def _people(roles: list[tuple[str, str | None, Person]], role: RoleType) -> list[Person]:
    found: dict[int, Person] = {}
    for held, _location_id, person in roles:
        if held == role:
            found.setdefault(person.pk, person)
    return sorted(found.values(), key=lambda person: (person.family_name, person.given_name))


_LOCATION_FIELDS = (
    "id",
    "name",
    "address_line_1",
    "address_line_2",
    "town_city",
    "county",
    "postal_code",
)


def _add_location_activities(
    by_location: dict[str, CertificateLocation], provider: Provider
) -> None:
    """Each location's activities, by name, in one query joined by provider (not by a list
    of a thousand IDs); each activity made once."""
    links = (
        Location.activities.through.objects.filter(location__provider=provider)
        .order_by("regulatedactivity__name")
        .values_list("location_id", "regulatedactivity_id", "regulatedactivity__name")
    )
    made: dict[str, RegulatedActivity] = {}
    for location_id, code, name in links:
        entry = by_location.get(location_id)
        if entry is None:  # not registered: not on the certificate
            continue
        if code not in made:
            made[code] = RegulatedActivity(code=code, name=name)
        entry.activities.append(made[code])


def certificate_for(provider_id: str) -> Certificate | None:
    """The certificate of a registered provider (None for one not registered: a cancelled
    registration has no certificate)."""
    today = timezone.localdate()
    provider = (
        Provider.objects.filter(id=provider_id, registration_status=RegistrationStatus.REGISTERED)
        .prefetch_related("activities")
        .first()
    )
    if provider is None:
        return None
    registered = Location.objects.filter(
        provider=provider, registration_status=RegistrationStatus.REGISTERED
    )
    # Only what the certificate shows: a large provider's thousand locations are otherwise
    # most of the page's time, in model instances and a prefetch naming every ID.
    locations = [
        CertifiedPlace(pk, name, address_lines_of(*address))
        for pk, name, *address in registered.order_by("name", "id").values_list(*_LOCATION_FIELDS)
    ]
    roles = _live_roles(provider, today)
    conditions = list(
        Condition.objects.in_force(today)
        .filter(provider=provider)
        .select_related("manager", "activity")
        .order_by("start_date", "id")
    )
    by_location = {item.id: CertificateLocation(item, []) for item in locations}
    _add_location_activities(by_location, provider)
    for role, location_id, person in roles:
        entry = by_location.get(location_id or "")
        is_manager = role == RoleType.REGISTERED_MANAGER
        if is_manager and entry is not None and person not in entry.managers:
            entry.managers.append(person)
    provider_conditions: list[Condition] = []
    manager_conditions: dict[int, ManagerConditions] = {}
    for condition in conditions:
        if condition.manager_id is not None and condition.manager is not None:
            manager_conditions.setdefault(
                condition.manager_id, ManagerConditions(condition.manager, [])
            ).conditions.append(condition)
        elif condition.location_id is not None:
            if condition.location_id in by_location:
                by_location[condition.location_id].conditions.append(condition)
        else:
            provider_conditions.append(condition)
    return Certificate(
        provider=provider,
        issued_on=today,
        activities=sorted(provider.activities.all(), key=lambda item: item.name),
        nominated_individuals=_people(roles, RoleType.NOMINATED_INDIVIDUAL),
        responsible_individuals=_people(roles, RoleType.RESPONSIBLE_INDIVIDUAL),
        main_partners=_people(roles, RoleType.MAIN_PARTNER),
        partners=_people(roles, RoleType.PARTNER),
        locations=list(by_location.values()),
        provider_conditions=provider_conditions,
        manager_conditions=list(manager_conditions.values()),
    )
