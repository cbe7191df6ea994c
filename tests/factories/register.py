"""Register rows: providers, locations, people and their roles, made directly."""

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from portal.register.certificates import Certificate, CertificateLocation
from portal.register.models import (
    Location,
    Person,
    Provider,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    ServiceType,
)

_numbers = itertools.count(1000)

MHA_ACTIVITY = (
    "Assessment or medical treatment for persons detained under the Mental Health Act 1983"
)
MENTAL_HEALTH_HOSPITAL = (
    "Hospital services for people with mental health needs, learning disabilities and problems "
    "with substance misuse"
)
GP_SERVICE = "Doctors/GPs"


def next_number() -> int:
    """A number no other row made by these factories in this process has used."""
    return next(_numbers)


def make_provider(
    name: str = "", *, ownership_type: str = "Organisation", **extra: Any
) -> Provider:
    number = next_number()
    return Provider.objects.create(
        id=f"1-{number:09d}",
        name=name or f"Provider {number}",
        ownership_type=ownership_type,
        **extra,
    )


def make_location(
    provider: Provider,
    name: str = "",
    *,
    activities: tuple[str, ...] = (),
    service_types: tuple[str, ...] = (),
    **extra: Any,
) -> Location:
    number = next_number()
    location = Location.objects.create(
        id=f"1-{number:010d}",
        provider=provider,
        name=name or f"Location {number}",
        address_line_1=f"{number} High Street",
        town_city="Oldham",
        postal_code="OL1 1AA",
        **extra,
    )
    for index, activity in enumerate(activities):
        item, _ = RegulatedActivity.objects.get_or_create(
            name=activity, defaults={"code": f"RA{index + 1}{number}"[:10]}
        )
        location.activities.add(item)
    for service in service_types:
        service_type, _ = ServiceType.objects.get_or_create(name=service)
        location.service_types.add(service_type)
    return location


def make_person(email: str = "", given: str = "Alex", family: str = "", *, ref: str = "") -> Person:
    number = next_number()
    return Person.objects.create(
        person_ref=ref or f"P{number}",
        given_name=given,
        family_name=family or f"Example{number}",
        email=(email or f"person{number}@provider.example").lower(),
    )


def give_role(
    person: Person,
    role: str = RoleType.REGISTERED_MANAGER,
    provider: Provider | None = None,
    location: Location | None = None,
    *,
    ended: bool = False,
) -> RoleAssignment:
    """A role for `person`; a new provider (and, for a registered manager, a new location)
    when none is given. An ended role ended yesterday, after 400 days."""
    provider = provider or (location.provider if location else make_provider())
    if role == RoleType.REGISTERED_MANAGER and location is None:
        location = make_location(provider)
    today = timezone.localdate()
    return RoleAssignment.objects.create(
        person=person,
        role=role,
        provider=provider,
        location=location,
        start_date=today - dt.timedelta(days=400) if ended else None,
        end_date=today - dt.timedelta(days=1) if ended else None,
    )


def person_with_several_roles(email: str, given: str = "Jane", family: str = "Smith") -> Person:
    """One person, several roles: manager at two locations and nominated individual."""
    person = make_person(email, given, family)
    provider = make_provider()
    give_role(person, RoleType.REGISTERED_MANAGER, location=make_location(provider, "North"))
    give_role(person, RoleType.REGISTERED_MANAGER, location=make_location(provider, "South"))
    give_role(person, RoleType.NOMINATED_INDIVIDUAL, provider=provider)
    return person


TOWNS = ["Leeds", "York", "Bristol", "Oldham"]


def add_many_locations(provider: Provider, count: int, *, start: int = 0) -> list[Location]:
    """`count` registered locations: towns, regions and authorities in turn, every fifth a
    domiciliary care service."""
    rows = [
        Location(
            id=f"1-9{start + number:08d}",
            provider=provider,
            name=f"Branch {start + number:04d}",
            town_city=TOWNS[number % len(TOWNS)],
            postal_code=f"LS{number % 9 + 1} {number % 10}AB",
            region="Yorkshire and The Humber" if number % 2 else "South West",
            local_authority=f"Authority {number % 3}",
            registration_status="Registered",
        )
        for number in range(count)
    ]
    Location.objects.bulk_create(rows)
    home_care, _ = ServiceType.objects.get_or_create(name="Domiciliary care service")
    through = Location.service_types.through
    through.objects.bulk_create(
        [through(location_id=row.pk, servicetype_id=home_care.pk) for row in rows[::5]]
    )
    return rows


def certificate_in_memory(
    provider: Provider,
    locations: list[CertificateLocation],
    *,
    issued_on: dt.date | None = None,
    **parts: Any,
) -> Certificate:
    """A certificate put together in memory (drawn, never saved): `provider`'s `locations`,
    issued today, with no activities, people or conditions unless `parts` name them."""
    nothing: dict[str, Any] = {
        field: []
        for field in (
            "activities",
            "nominated_individuals",
            "responsible_individuals",
            "main_partners",
            "partners",
            "provider_conditions",
            "manager_conditions",
        )
    }
    return Certificate(
        provider=provider,
        issued_on=issued_on or timezone.localdate(),
        locations=locations,
        **(nothing | parts),
    )
