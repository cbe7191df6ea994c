"""A small register for delegation tests: provider P with locations A and B, provider Q,
registered people with accounts, delegates of every access level and scope."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from portal.accounts.models import User
from portal.organisations.models import Membership
from portal.organisations.permissions import AccessLevel
from portal.register.models import Location, OwnershipType, Provider, RoleType
from tests.factories.accounts import make_user, registered_user
from tests.factories.organisations import give_access


@pytest.fixture(autouse=True)
def _account_pages(settings: Any) -> None:
    # The accounts journey lives on another branch; these paths stand for its sign-in and
    # sign-up pages so redirects can be checked here without it.
    settings.LOGIN_URL = "/sign-in/"
    settings.ORGANISATIONS_SIGN_UP_URL = "/sign-up/"
    settings.ORGANISATIONS_RESEND_WAIT_SECONDS = 60


@dataclass
class World:
    p: Provider
    a: Location
    b: Location
    q: Provider
    c: Location
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)


DELEGATE_LEVELS = [level.value for level in AccessLevel]
DELEGATE_SCOPES = ["whole", "a"]


def build_world() -> World:
    p = Provider.objects.create(
        id="1-100000001", name="Sunrise Care Ltd", ownership_type=OwnershipType.ORGANISATION
    )
    a = Location.objects.create(
        id="1-200000001", provider=p, name="Sunrise House", postal_code="LS1 1AA"
    )
    b = Location.objects.create(
        id="1-200000002", provider=p, name="Sunset Lodge", postal_code="LS2 2BB"
    )
    q = Provider.objects.create(
        id="1-100000002", name="Other Care Ltd", ownership_type=OwnershipType.ORGANISATION
    )
    c = Location.objects.create(id="1-200000003", provider=q, name="Other House")
    world = World(p=p, a=a, b=b, q=q, c=c)
    u = world.users
    u["ni"] = registered_user("P1", "nina.ni@sunrise.example", RoleType.NOMINATED_INDIVIDUAL, p)
    u["rm_a"] = registered_user("P2", "rita.rm@sunrise.example", RoleType.REGISTERED_MANAGER, p, a)
    u["rm_b"] = registered_user("P3", "bob.rm@sunrise.example", RoleType.REGISTERED_MANAGER, p, b)
    u["other_provider"] = registered_user(
        "P4", "olga.ni@other.example", RoleType.NOMINATED_INDIVIDUAL, q
    )
    u["staff"] = make_user("inspector@regulator.example", is_staff=True)
    u["requester"] = make_user("rory.requester@example.com", full_name="Rory Requester")
    for level in DELEGATE_LEVELS:
        for scope in DELEGATE_SCOPES:
            kind = f"delegate_{level}_{scope}"
            u[kind] = make_user(f"{kind}@sunrise.example")
            world.memberships[kind] = give_access(
                u[kind], p, [level], None if scope == "whole" else [a], granted_by=u["ni"]
            )
    return world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
