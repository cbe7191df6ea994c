"""Register rows and users for notification tests (our own: accounts and register factories
are being written in parallel)."""

import itertools
from typing import Any

from portal.accounts.models import User
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


def make_provider(
    *, ownership_type: str = "Organisation", name: str = "", **extra: Any
) -> Provider:
    number = next(_numbers)
    return Provider.objects.create(
        id=f"1-{number:09d}",
        name=name or f"Provider {number}",
        ownership_type=ownership_type,
        **extra,
    )


def make_location(
    provider: Provider,
    *,
    name: str = "",
    activities: tuple[str, ...] = (),
    service_types: tuple[str, ...] = (),
    **extra: Any,
) -> Location:
    number = next(_numbers)
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


def make_person(*, given: str = "Alex", family: str = "", email: str = "") -> Person:
    number = next(_numbers)
    return Person.objects.create(
        person_ref=f"P{number}",
        given_name=given,
        family_name=family or f"Example{number}",
        email=email or f"person{number}@provider.example",
    )


def make_user(
    *, email: str = "", person: Person | None = None, is_staff: bool = False, full_name: str = ""
) -> User:
    number = next(_numbers)
    return User.objects.create_user(
        email or (person.email if person else f"user{number}@example.com"),
        "a long enough password 123",
        person=person,
        is_staff=is_staff,
        full_name=full_name,
    )


def give_role(
    person: Person, role: str, provider: Provider, location: Location | None = None
) -> RoleAssignment:
    return RoleAssignment.objects.create(
        person=person, role=role, provider=provider, location=location
    )


def registered_manager(location: Location, **person_fields: Any) -> User:
    person = make_person(**person_fields)
    give_role(person, RoleType.REGISTERED_MANAGER, location.provider, location)
    return make_user(person=person, full_name=person.full_name)


def nominated_individual(provider: Provider, **person_fields: Any) -> User:
    person = make_person(**person_fields)
    give_role(person, RoleType.NOMINATED_INDIVIDUAL, provider)
    return make_user(person=person, full_name=person.full_name)


def delegate(
    provider: Provider,
    permissions: tuple[str, ...],
    locations: tuple[Location, ...] = (),
    granted_by: User | None = None,
) -> User:
    """A member of staff given access by a registered person (no register role of their own)."""
    from portal.organisations.models import Membership

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


def staff_member() -> User:
    return make_user(is_staff=True, full_name="Iris Inspector")
