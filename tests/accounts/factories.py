"""Register rows for account tests, made directly (no importer needed)."""

import datetime as dt
import itertools

from django.utils import timezone

from portal.register.models import Location, Person, Provider, RoleAssignment, RoleType

_numbers = itertools.count(1000)


def make_provider(name: str = "Sunrise Care Ltd") -> Provider:
    number = next(_numbers)
    return Provider.objects.create(
        id=f"1-{number:09d}", name=f"{name} {number}", ownership_type="Organisation"
    )


def make_location(provider: Provider, name: str = "Sunrise House") -> Location:
    number = next(_numbers)
    return Location.objects.create(
        id=f"1-{number + 500000000:09d}", provider=provider, name=f"{name} {number}"
    )


def make_person(email: str, given: str = "Jane", family: str = "Smith") -> Person:
    number = next(_numbers)
    return Person.objects.create(
        person_ref=f"P{number}", given_name=given, family_name=family, email=email.lower()
    )


def make_role(
    person: Person,
    role: str = RoleType.REGISTERED_MANAGER,
    *,
    provider: Provider | None = None,
    location: Location | None = None,
    ended: bool = False,
) -> RoleAssignment:
    provider = provider or (location.provider if location else make_provider())
    if role == RoleType.REGISTERED_MANAGER and location is None:
        location = make_location(provider)
    today = timezone.localdate()
    return RoleAssignment.objects.create(
        person=person,
        role=role,
        provider=provider,
        location=location,
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=1) if ended else None,
    )


def registered_manager(email: str, given: str = "Jane", family: str = "Smith") -> Person:
    """One person, several roles: manager at two locations and nominated individual."""
    person = make_person(email, given, family)
    provider = make_provider()
    make_role(person, RoleType.REGISTERED_MANAGER, location=make_location(provider, "North"))
    make_role(person, RoleType.REGISTERED_MANAGER, location=make_location(provider, "South"))
    make_role(person, RoleType.NOMINATED_INDIVIDUAL, provider=provider)
    return person
