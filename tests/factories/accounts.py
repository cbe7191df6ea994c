"""Accounts: users, staff, and registered people with an account."""

from typing import Any

from portal.accounts.models import User
from portal.register.models import Location, Person, Provider, RoleType
from tests.factories.register import give_role, make_person, next_number

PASSWORD = "a long enough password 123"


def make_user(
    email: str = "",
    person: Person | None = None,
    *,
    is_staff: bool = False,
    full_name: str = "",
    **extra: Any,
) -> User:
    number = next_number()
    return User.objects.create_user(
        email or (person.email if person else f"user{number}@example.com"),
        PASSWORD,
        person=person,
        is_staff=is_staff,
        full_name=full_name,
        **extra,
    )


def registered_user(
    ref: str, email: str, role: str, provider: Provider, location: Location | None = None
) -> User:
    """A registered person with an account, named after their address (nina.ni@ -> Nina Ni)."""
    local = email.split("@")[0]
    given, family = local.split(".")[:2] if "." in local else (local, "Person")
    person = make_person(email, given.title(), family.title(), ref=ref)
    give_role(person, role, provider, location)
    return make_user(email, person, full_name=f"{given.title()} {family.title()}")


def registered_manager(location: Location, **person_fields: Any) -> User:
    person = make_person(**person_fields)
    give_role(person, RoleType.REGISTERED_MANAGER, location.provider, location)
    return make_user(person=person, full_name=person.full_name)


def nominated_individual(provider: Provider, **person_fields: Any) -> User:
    person = make_person(**person_fields)
    give_role(person, RoleType.NOMINATED_INDIVIDUAL, provider)
    return make_user(person=person, full_name=person.full_name)


def staff_member() -> User:
    return make_user(is_staff=True, full_name="Iris Inspector")
