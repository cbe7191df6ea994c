"""A small register for notification tests: providers of each kind, locations that carry
every activity a definition may look for, and people in each registered role."""

from dataclasses import dataclass

import pytest

from portal.accounts.models import User
from portal.register.models import Location, Provider
from tests import factories as f


@dataclass
class World:
    providers: dict[str, Provider]
    locations: dict[str, Location]
    nominated: dict[str, User]
    manager: User
    other_location: Location
    other_manager: User
    staff: User


@pytest.fixture
def world(db) -> World:
    providers: dict[str, Provider] = {}
    locations: dict[str, Location] = {}
    nominated: dict[str, User] = {}
    for ownership in ("Organisation", "Partnership", "Individual", "NHS Body"):
        provider = f.make_provider(ownership_type=ownership, name=f"{ownership} Care")
        providers[ownership] = provider
        locations[ownership] = f.make_location(
            provider,
            name=f"{ownership} House",
            activities=(f.MHA_ACTIVITY,),
            service_types=(f.MENTAL_HEALTH_HOSPITAL, f.GP_SERVICE),
        )
        nominated[ownership] = f.nominated_individual(provider, given="Nina")
    organisation = providers["Organisation"]
    manager = f.registered_manager(locations["Organisation"], given="Mandy")
    other_location = f.make_location(organisation, name="Other House")
    other_manager = f.registered_manager(other_location, given="Omar")
    return World(
        providers=providers,
        locations=locations,
        nominated=nominated,
        manager=manager,
        other_location=other_location,
        other_manager=other_manager,
        staff=f.staff_member(),
    )
