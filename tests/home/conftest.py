"""A provider with two locations, the people who use it, and work waiting for each of them."""

from dataclasses import dataclass

import pytest

from portal.accounts.models import User
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification
from portal.organisations import services as organisation_services
from portal.register.models import Location, Provider
from tests import factories as f
from tests.accounts.conftest import PASSWORD


@dataclass
class HomeWorld:
    provider: Provider
    second_provider: Provider
    a: Location
    b: Location
    manager: User  # registered manager of A
    nominated: User  # nominated individual of both providers
    delegate: User  # given access to draft and send at B only
    staff: User
    newcomer: User  # signed up, no access yet
    absence: Notification  # owes "tell us when they return"
    police: Notification  # we have asked a question about it


def _signs_in(user: User) -> None:
    """Give the user the accounts tests' password and authenticator, to sign in with."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    f.give_authenticator(user)


def build_home_world() -> HomeWorld:
    provider = f.make_provider(name="Sunrise Care")
    second_provider = f.make_provider(name="Moonrise Care")
    a = f.make_location(provider, name="Sunrise House", activities=(f.MHA_ACTIVITY,))
    b = f.make_location(provider, name="Sunset Lodge", activities=(f.MHA_ACTIVITY,))
    f.make_location(second_provider, name="Moonrise House")
    manager = f.registered_manager(a, given="Rita")
    nominated = f.nominated_individual(provider, given="Nina")
    assert nominated.person is not None
    f.give_role(nominated.person, "nominated_individual", second_provider)
    delegate = f.delegate(
        provider, ("view_submissions", "draft_notifications", "submit_notifications"), (b,)
    )
    staff = f.staff_member()
    for user in (manager, staff):
        _signs_in(user)
    newcomer = f.make_user(full_name="Nell Newcomer")

    absence = f.submit("absence", manager, a)
    police = f.submit("police", manager, a)
    notification_services.ask_question(
        notification_id=police.pk, staff=staff, body="Was anyone hurt?"
    )
    notification_services.start_draft(
        user=manager, provider=provider, location=a, definition=CATALOGUE.require("death")
    )
    organisation_services.request_to_join(
        user=newcomer, provider=provider, message="I run the office"
    )
    return HomeWorld(
        provider,
        second_provider,
        a,
        b,
        manager,
        nominated,
        delegate,
        staff,
        newcomer,
        absence,
        police,
    )


@pytest.fixture
def home_world(db: None) -> HomeWorld:
    return build_home_world()
