"""A provider with two locations, its people, and regulator staff, for the decisions,
triage, dashboards and provider-view tests."""

from dataclasses import dataclass

import pytest
from django.test import RequestFactory

from portal.accounts.models import User
from portal.register.models import Location, Provider
from tests import factories as f


@dataclass
class World:
    provider: Provider
    home: Location
    other_home: Location
    nominated: User
    manager: User
    other_manager: User
    staff: User
    other_staff: User


@pytest.fixture
def world(db) -> World:
    provider = f.make_provider(name="Sunrise Care")
    home = f.make_location(
        provider,
        name="Sunrise House",
        activities=(f.MHA_ACTIVITY,),
        service_types=(f.MENTAL_HEALTH_HOSPITAL, f.GP_SERVICE),
    )
    other_home = f.make_location(provider, name="Moonrise House")
    return World(
        provider=provider,
        home=home,
        other_home=other_home,
        nominated=f.nominated_individual(provider, given="Nina"),
        manager=f.registered_manager(home, given="Mandy"),
        other_manager=f.registered_manager(other_home, given="Omar"),
        staff=f.staff_member(),
        other_staff=f.make_user(is_staff=True, full_name="Sam Second"),
    )


@pytest.fixture
def staff_request(world):
    """A request as the staff member makes it (the services audit its address)."""
    request = RequestFactory().post("/regulator/cases/")
    request.user = world.staff
    return request
