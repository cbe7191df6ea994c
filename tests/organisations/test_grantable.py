"""The compiled reads of what a manager may give access to are what the ORM's querysets
give: location_options(grantable_locations) and service_type_names of the same, in order,
for managers of the whole provider, of some locations, and of none."""

from portal.organisations.grantable import grantable_options
from portal.organisations.selectors import grantable_locations
from portal.register.location_picker import location_options, service_type_names
from portal.register.models import Location, ServiceType
from tests.factories.register import add_many_locations
from tests.support.compiled import assert_compiled_on_postgresql


def test_grantable_options_are_the_orm_rows(world):
    add_many_locations(world.p, 30)
    add_many_locations(world.q, 5, start=100)
    nursing = ServiceType.objects.create(name="Care home service with nursing")
    world.a.service_types.add(nursing)
    Location.objects.filter(pk=world.b.pk).update(registration_status="Deregistered")
    managers = ["ni", "rm_a", "rm_b", "delegate_team_a", "delegate_team_whole"]
    others = ["delegate_view_whole", "other_provider", "requester"]
    offered = 0
    for name in managers + others:
        user = world.users[name]
        for provider in (world.p, world.q):
            options, type_names = grantable_options(user, provider)
            expected = grantable_locations(user, provider)
            assert options == location_options(expected), (name, provider.pk)
            assert type_names() == service_type_names(expected), (name, provider.pk)
            offered += len(options)
    assert offered > 60
    whole, _ = grantable_options(world.users["ni"], world.p)
    assert world.b.pk not in {option.id for option in whole}
    some, names = grantable_options(world.users["rm_a"], world.p)
    assert [option.id for option in some] == [world.a.pk]
    assert [option.label for option in some] == ["Sunrise House, LS1 1AA"]
    assert names() == ["Care home service with nursing"]


def test_each_shape_compiles_once(world):
    from portal.organisations import grantable

    assert_compiled_on_postgresql(*grantable.READS.statements)
