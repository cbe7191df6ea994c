""" "Your registration"'s reads compiled once (register/registration_queries.py) give what the
ORM gives for the same queries, with other values than the ones they were compiled with."""

import pytest
from django.utils import timezone

from portal.register import registration_queries as reads
from portal.register.models import Condition, Location, Provider
from tests.applications.register_effects_helpers import person, registered
from tests.support.compiled import assert_compiled_on_postgresql

pytestmark = pytest.mark.django_db


def test_each_read_is_the_orms():
    provider = registered().provider
    other = registered(name="Second Care", companies_house_number="07654321").provider
    today = timezone.localdate()
    both = sorted([provider.pk, other.pk])
    locations = sorted(provider.locations.values_list("pk", flat=True))
    mo = person("mo@example.com")

    assert reads.own_roles(mo.pk, today) == list(reads._own_roles(mo.pk, today))
    assert reads.own_roles(mo.pk, today)  # Mo manages here: rows were compared
    found = reads.providers_with_activities(both)
    assert sorted(p.pk for p in found) == both
    for read in found:
        by_orm = Provider.objects.prefetch_related("activities").get(pk=read.pk)
        assert read.name == by_orm.name
        assert read.address_lines == by_orm.address_lines
        assert list(read.activities.all()) == list(by_orm.activities.all())
        assert [a.name for a in read.activities.all()]
    assert reads.location_activities(locations) == list(reads._location_activities(locations))
    assert len(reads.location_activities(locations)) == 3  # Mill House two, Brook Lodge one
    for some in (locations, locations[:1], []):
        held = reads.holders(today, both, some)
        assert held == list(reads._holders(today, both, some))
        managers = [row for row in held if row[0] == "registered_manager"]
        assert {row[2] for row in managers} == set(some)
    conditions = reads.conditions(today, both)
    conditions_by_orm = list(reads._conditions(today, both))
    assert [c.pk for c in conditions] == [c.pk for c in conditions_by_orm]
    assert len(conditions) == Condition.objects.count() == 4  # two each, as registered
    for one, other_one in zip(conditions, conditions_by_orm, strict=True):
        for name in ("text", "start_date", "provider_id", "location_id", "manager_id"):
            assert getattr(one, name) == getattr(other_one, name)
        assert (one.manager and one.manager.full_name) == (
            other_one.manager and other_one.manager.full_name
        )
        assert (one.location and one.location.name) == (
            other_one.location and other_one.location.name
        )
    # Nothing to read: nothing asked, as the ORM's `__in=[]`.
    assert reads.providers_with_activities([]) == []
    assert reads.holders(today, [], locations) == []
    assert reads.conditions(today, []) == []


def _shown(locations: list) -> list[tuple]:
    fields = (*reads.LOCATION_FIELDS, "number", "of")
    return [tuple(getattr(location, name) for name in fields) for location in locations]


def test_the_page_of_locations_is_the_orms():
    provider = registered().provider
    other = registered(name="Second Care", companies_house_number="07654321").provider
    both = sorted([provider.pk, other.pk])
    mine = sorted(provider.locations.values_list("pk", flat=True))
    assert len(mine) == 2
    for whole, managed in (
        (both, []),  # provider-level roles at both
        ([other.pk], mine[:1]),  # the whole of one, one location managed at the other
        ([], mine),  # a manager only
        ([], []),
    ):
        for first, last in ((0, 25), (0, 1), (1, 2), (25, 50)):
            read = reads.location_page(both, whole, managed, first, last)
            by_orm = reads.numbered_rows(
                reads.numbered_page(reads.shown_locations(both, whole, managed), first, last)
            )
            assert _shown(read) == _shown(by_orm)
    # Read with other values than the ones compiled: rows were compared.
    assert [loc.id for loc in reads.location_page(both, both, [], 0, 25)] == sorted(
        Location.objects.filter(provider_id__in=both).values_list("pk", flat=True),
        key=lambda pk: (Location.objects.get(pk=pk).name, pk),
    )
    assert [loc.number for loc in reads.location_page(both, [], mine, 1, 2)] == [2]
    assert {loc.of for loc in reads.location_page(both, [], mine[:1], 0, 25)} == {1}
    assert reads.location_page([], both, mine, 0, 25) == []
    assert_compiled_on_postgresql(reads._LOCATION_PAGE)
