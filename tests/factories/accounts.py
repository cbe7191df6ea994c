"""Accounts: users, staff, and registered people with an account."""

from collections.abc import Iterable
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.register.models import Location, Person, Provider, RoleType
from portal.staff.models import StaffMember, Team
from portal.staff.roles import StaffRole
from tests.factories.register import give_role, make_person, next_number

PASSWORD = "a long enough password 123"
# Existing staff tests were written when every member of staff held every permission: by
# default a member holds every role (which together hold every staff permission).
EVERY_ROLE = tuple(StaffRole.values)
# The authenticator key the users built here share, so a test can produce their codes.
KNOWN_KEY = "3132333435363738393031323334353637383930"


def make_user(
    email: str = "",
    person: Person | None = None,
    *,
    is_staff: bool = False,
    full_name: str = "",
    password: str = PASSWORD,
    roles: Iterable[str] = EVERY_ROLE,
    teams: Iterable[Team] = (),
    second_factor: bool = True,
    **extra: Any,
) -> User:
    """A user; with `is_staff`, a member of staff holding `roles` (every role unless told)
    in `teams`, with a confirmed authenticator unless `second_factor` is False (staff pages
    send a member without one to set one up)."""
    number = next_number()
    user = User.objects.create_user(
        email or (person.email if person else f"user{number}@example.com"),
        password,
        person=person,
        is_staff=is_staff,
        full_name=full_name,
        **extra,
    )
    if is_staff:
        give_staff_roles(user, roles=roles, teams=teams, second_factor=second_factor)
    return user


def give_staff_roles(
    user: User,
    *,
    roles: Iterable[str] = EVERY_ROLE,
    teams: Iterable[Team] = (),
    second_factor: bool = True,
) -> StaffMember:
    member = StaffMember.objects.create(user=user, roles=list(roles))
    member.teams.set(list(teams))
    if second_factor:
        give_authenticator(user)
    return member


def give_authenticator(user: User, key: str = KNOWN_KEY) -> TOTPDevice:
    """A confirmed authenticator app whose codes the test can make (totp_now(key))."""
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True, key=key, tolerance=1)


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


def staff_member(
    email: str = "",
    *,
    roles: Iterable[str] = EVERY_ROLE,
    teams: Iterable[Team] = (),
    full_name: str = "Iris Inspector",
    second_factor: bool = True,
) -> User:
    return make_user(
        email,
        is_staff=True,
        full_name=full_name,
        roles=roles,
        teams=teams,
        second_factor=second_factor,
    )
