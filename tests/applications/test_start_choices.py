"""Who may start what, read from the request's access (no query), gives what the register
queries give: the providers someone may apply for, and whether they manage a location."""

from typing import Any

import pytest

from portal.applications import permissions
from portal.organisations import access as organisation_access
from portal.organisations.permissions import Permission
from portal.register.models import Provider, RegistrationStatus, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import make_membership
from tests.factories.register import give_role, make_location, make_person, make_provider

pytestmark = pytest.mark.django_db


def _providers_by_query(user: Any) -> list[Provider]:
    """The register's answer, as providers_user_can_apply_for once asked it."""
    prepare = {
        p.pk for p in organisation_access.providers_for(user, Permission.PREPARE_APPLICATIONS)
    } | {p.pk for p in organisation_access.providers_for(user, Permission.PREPARE_CANCELLATIONS)}
    return list(Provider.objects.filter(pk__in=prepare).order_by("name"))


def _fields(provider: Provider) -> dict[str, Any]:
    return {k: v for k, v in vars(provider).items() if k != "_state"}


def _users() -> dict[str, Any]:
    """Someone in each case the two answers could part on."""
    zed, alpha, gone = make_provider("Zed Care"), make_provider("alpha care"), make_provider()
    gone.registration_status = RegistrationStatus.DEREGISTERED
    gone.save()
    ward, closed = make_location(zed), make_location(zed)
    closed.registration_status = RegistrationStatus.DEREGISTERED
    closed.save()
    users: dict[str, Any] = {}

    def person_user(name: str, *roles: tuple[str, Provider, Any, bool]) -> None:
        person = make_person(f"{name}@example.com")
        for role, provider, location, ended in roles:
            give_role(person, role, provider, location, ended=ended)
        users[name] = make_user(person=person)

    ni, rm = RoleType.NOMINATED_INDIVIDUAL, RoleType.REGISTERED_MANAGER
    person_user("ni_two", (ni, zed, None, False), (ni, alpha, None, False))
    person_user("manager", (rm, zed, ward, False))
    person_user("manager_ended", (rm, zed, ward, True))
    person_user("manager_closed", (rm, zed, closed, False))
    person_user("manager_gone", (rm, gone, make_location(gone), False))
    person_user("ni_gone", (ni, gone, None, False))
    users["newcomer"] = make_user()
    users["preparer"] = make_user()
    make_membership(users["preparer"], alpha, [Permission.PREPARE_APPLICATIONS])
    users["canceller_at_ward"] = make_user()
    make_membership(users["canceller_at_ward"], zed, [Permission.PREPARE_CANCELLATIONS], [ward])
    users["viewer"] = make_user()
    make_membership(users["viewer"], zed, [Permission.VIEW_SUBMISSIONS])
    return users


def test_the_answers_are_the_registers():
    users = _users()
    managing = set()
    applying = set()
    for name, user in users.items():
        by_query = _providers_by_query(user)
        fast = permissions.providers_user_can_apply_for(user)
        assert [_fields(p) for p in fast] == [_fields(p) for p in by_query], name
        manages = permissions.manages_any_location(user)
        assert manages == bool(permissions.managed_locations(user)), name
        managing |= {name} if manages else set()
        applying |= {name} if fast else set()
    # Both answers are yes for some and no for others, so the comparisons mean something.
    assert managing == {"manager"}
    assert {"ni_two", "preparer", "canceller_at_ward"} <= applying
    assert not applying & {"newcomer", "viewer"}
    # Sorted as PostgreSQL's C collation sorts: capitals first.
    assert [p.name for p in permissions.providers_user_can_apply_for(users["ni_two"])] == [
        "Zed Care",
        "alpha care",
    ]
