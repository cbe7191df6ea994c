"""The registered people a notification may name are read by a compiled query for each shape
(whole provider, in scope, provider and location): each must really compile and return the
same roles, in the same order, as the ORM's query."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.notifications import engine_contexts
from portal.register.models import RoleType
from tests import factories as f

SHAPES = [
    (engine_contexts._WHOLE_PROVIDER, False),
    (engine_contexts._IN_SCOPE, True),
    (engine_contexts._PROVIDER_AND_LOCATION, True),
]


@pytest.fixture
def roles(world):
    location = world.locations["Organisation"]
    provider = location.provider
    # An ended role, a second role for one person and a role at another provider: the
    # compiled query must leave out and order these exactly as the ORM does.
    f.give_role(f.make_person(given="Edna"), RoleType.NOMINATED_INDIVIDUAL, provider, ended=True)
    f.give_role(world.manager.person, RoleType.NOMINATED_INDIVIDUAL, provider)
    f.give_role(f.make_person(given="Zed"), RoleType.NOMINATED_INDIVIDUAL)
    return provider, location


@pytest.mark.parametrize(("shape", "with_location"), SHAPES)
def test_each_shape_compiles_and_reads_what_the_orm_reads(roles, shape, with_location):
    provider, location = roles
    values = {"provider_id": provider.pk, "day": timezone.localdate()}
    if with_location:
        values["location_id"] = location.pk
    compiled = engine_contexts._ROLES[shape]
    assert compiled._compiled("default") is not None
    expected = list(engine_contexts._roles_query(shape, **values))
    read = compiled.objects(**values)
    assert [(r.pk, r.person.full_name) for r in read] == [
        (r.pk, r.person.full_name) for r in expected
    ]
    assert read  # the world has people in each shape


def test_the_day_is_a_value_not_a_constant(roles):
    """Compiled on one day and run on another: an ended role is live on a day it covered."""
    provider, _location = roles
    compiled = engine_contexts._ROLES[engine_contexts._WHOLE_PROVIDER]
    today = timezone.localdate()
    names_today = {
        r.person.given_name for r in compiled.objects(provider_id=provider.pk, day=today)
    }
    earlier = today - dt.timedelta(days=10)
    names_earlier = {
        r.person.given_name for r in compiled.objects(provider_id=provider.pk, day=earlier)
    }
    assert "Edna" not in names_today
    assert "Edna" in names_earlier
