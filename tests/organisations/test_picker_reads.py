"""The location picker's cheaper reads give what the reads they replace gave: the service
types' names through the shared offered_service_types (the join written before), the options
made from rows in C (the named tuple's constructor before), addresses only where radios show
them, the first page's matches, regions and authorities without testing each option, and
the notification's location choice compiled, naming its service types by the same query
(every location's types read into Python before)."""

from portal.notifications import location_choice, permissions
from portal.notifications.forms import ChooseLocationForm
from portal.notifications.location_choice import notifiable_locations
from portal.register.location_picker import (
    CHECKBOX_LIMIT,
    LocationField,
    LocationOption,
    LocationPicker,
    location_options,
    options_of_rows,
    options_with_addresses,
    service_type_names,
    service_types_of,
)
from portal.register.models import Location, ServiceType
from tests.factories.register import add_many_locations
from tests.support.compiled import assert_compiled_on_postgresql


def _joined_names(locations):
    # The read service_type_names made before, written out: every location's types, then
    # DISTINCT (a semi-join was tried: much slower when a provider offers few of many types).
    through = Location.service_types.through
    names = through.objects.filter(location_id__in=locations.order_by().values("pk"))
    return sorted(names.values_list("servicetype__name", flat=True).distinct())


def test_service_type_names_are_the_joined_distinct_names(world):
    add_many_locations(world.p, 30)
    add_many_locations(world.q, 5, start=100)
    nursing = ServiceType.objects.create(name="Care home service with nursing")
    dental = ServiceType.objects.create(name="Dental service")
    ServiceType.objects.create(name="Offered nowhere")
    world.a.service_types.add(nursing, dental)
    world.b.service_types.add(nursing)
    Location.objects.filter(pk=world.b.pk).update(registration_status="Deregistered")
    registered = Location.objects.filter(registration_status="Registered")
    cases = {
        "P registered": registered.filter(provider=world.p),
        "P all": Location.objects.filter(provider=world.p),
        "P ordered": Location.objects.filter(provider=world.p).order_by("-name"),
        "Q": registered.filter(provider=world.q),
        "A only": Location.objects.filter(pk=world.a.pk),
        "B only": Location.objects.filter(pk=world.b.pk),
        "none": Location.objects.none(),
    }
    seen = set()
    for label, locations in cases.items():
        names = service_type_names(locations)
        assert names == _joined_names(locations), label
        seen.update(names)
    assert seen == {"Care home service with nursing", "Dental service", "Domiciliary care service"}
    assert service_type_names(cases["B only"]) == ["Care home service with nursing"]


def test_options_of_rows_are_the_named_tuples(world):
    add_many_locations(world.p, 25)
    locations = Location.objects.filter(provider=world.p).order_by("name")
    rows = list(
        locations.values_list(
            "id", "name", "town_city", "postal_code", "region", "local_authority", "county"
        )
    )
    options = options_of_rows(rows)
    assert options == [LocationOption(*row[:6]) for row in rows]
    assert all(type(option) is LocationOption for option in options)
    assert options[0].label == LocationOption(*rows[0][:6]).label
    assert location_options(locations) == options


def test_addresses_are_written_only_for_plain_radios(world):
    add_many_locations(world.p, CHECKBOX_LIMIT - 3)
    Location.objects.filter(pk=world.a.pk).update(address_line_1="1 High Street", county="Kent")
    few = Location.objects.filter(provider=world.p).order_by("name")
    assert few.count() <= CHECKBOX_LIMIT
    options, addresses = options_with_addresses(few)
    assert options == location_options(few)
    expected = {loc.pk: ", ".join(loc.address_lines) for loc in few if loc.address_lines}
    assert addresses == expected
    assert "1 High Street" in addresses[world.a.pk]
    add_many_locations(world.p, 10, start=500)
    many = Location.objects.filter(provider=world.p).order_by("name")
    assert many.count() > CHECKBOX_LIMIT
    options, addresses = options_with_addresses(many)
    assert options == location_options(many)
    assert addresses == {}  # the picker's results show town and postcode, not the address


def _reference_matches(picker):
    # Every option tested against every grouping and the search, as the loop does.
    return [
        option
        for option in picker.options
        if (not picker.region or option.region == picker.region)
        and (not picker.local_authority or option.local_authority == picker.local_authority)
        and (picker.service_type_ids is None or option.id in picker.service_type_ids)
    ]


def test_first_page_matches_regions_and_authorities(world):
    add_many_locations(world.p, 30)
    options = location_options(Location.objects.filter(provider=world.p).order_by("name"))
    options.append(LocationOption("1-blank", "Blank Place", "", "", "", ""))
    unfiltered = LocationPicker(options=options, chosen_ids=[])
    assert unfiltered.matches == _reference_matches(unfiltered) == options
    assert unfiltered.matches is not options  # a copy: the picker's options stay its own
    grouped = LocationPicker(
        options=options, chosen_ids=[], service_type_ids=frozenset({options[0].id})
    )
    assert grouped.matches == _reference_matches(grouped) == [options[0]]
    assert unfiltered.regions == sorted({o.region for o in options if o.region})
    assert unfiltered.local_authorities == sorted(
        {o.local_authority for o in options if o.local_authority}
    )
    assert "" not in unfiltered.regions + unfiltered.local_authorities
    assert {"Authority 0", "Authority 1", "Authority 2"} <= set(unfiltered.local_authorities)


def test_notifiable_locations_are_the_orm_reads(world):
    add_many_locations(world.p, 30)
    add_many_locations(world.q, 5, start=100)
    nursing = ServiceType.objects.create(name="Care home service with nursing")
    world.a.service_types.add(nursing)
    world.b.service_types.add(ServiceType.objects.create(name="Only at B"))
    Location.objects.filter(pk=world.b.pk).update(registration_status="Deregistered")
    Location.objects.filter(pk=world.a.pk).update(address_line_1="1 High Street")
    offered = 0
    for name in world.users:
        user = world.users[name]
        for provider in (world.p, world.q):
            choice = notifiable_locations(user, provider)
            expected = permissions.locations_user_can_notify_for(user, provider)
            assert (choice.options, choice.addresses) == options_with_addresses(expected), name
            assert choice.type_names() == service_type_names(expected), (name, provider.pk)
            offered += len(choice.options)
            if len(choice.options) == 1:
                assert choice.addresses  # a few: radios, each with its address as a hint
    assert offered > 60
    some = notifiable_locations(world.users["rm_a"], world.p)
    assert [option.id for option in some.options] == [world.a.pk]
    assert some.addresses[world.a.pk].startswith("1 High Street, ")
    assert some.type_names() == ["Care home service with nursing"]
    whole = notifiable_locations(world.users["ni"], world.p)
    assert world.b.pk not in {option.id for option in whole.options}
    assert "Only at B" not in whole.type_names()


def test_notifiable_locations_compile_once(world):
    assert_compiled_on_postgresql(*location_choice.READS.statements)


def test_notification_location_choice_names_its_service_types(world):
    add_many_locations(world.p, 30)
    nursing = ServiceType.objects.create(name="Care home service with nursing")
    world.a.service_types.add(nursing)
    other = add_many_locations(world.q, 1, start=900)[0]
    other.service_types.add(ServiceType.objects.create(name="Only at Q"))
    choice = notifiable_locations(world.users["ni"], world.p)
    form = ChooseLocationForm(choice=choice, provider_id=world.p.pk, whole_provider=True)
    field = form.fields["location"]
    assert isinstance(field, LocationField)
    assert field.picker is not None
    assert field.service_types() == sorted(service_types_of(choice.options, world.p.pk))
    assert field.service_types() == ["Care home service with nursing", "Domiciliary care service"]
    assert field.choice_hints == {
        "provider": "For changes to the provider’s registered details, such as its name, "
        "directors or nominated individual"
    }
