"""The staff detail pages' reads, compiled once (register/detail_reads.py), read what the ORM
reads they replaced read: the same rows, in the same order, as the same instances."""

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from portal.register import detail_reads
from portal.register.models import (
    Location,
    LocationRelationship,
    Provider,
    ProviderRelationship,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    ServiceUserBand,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def fields_of(instance: Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def same(found: list[Any], expected: list[Any]) -> bool:
    return [fields_of(item) for item in found] == [fields_of(item) for item in expected]


def roles_shown(roles: list[RoleAssignment]) -> list[tuple[Any, ...]]:
    return [
        (fields_of(role), fields_of(role.person), role.activity and fields_of(role.activity))
        for role in roles
    ]


@pytest.fixture
def provider() -> Provider:
    """A provider and location with several of everything the pages list, recorded out of
    their order."""
    provider = f.make_provider("Oak & Ash Care", registration_date=dt.date(2015, 4, 1))
    home = f.make_location(
        provider,
        "Oak House",
        activities=("Personal care", "Accommodation for persons who require nursing"),
        service_types=("Residential homes", "Domiciliary care service"),
    )
    for name in ("Older people", "Dementia"):
        home.service_user_bands.add(ServiceUserBand.objects.get_or_create(name=name)[0])
    # Two of the fourteen activities, added in reverse order of their names.
    provider.activities.add(*RegulatedActivity.objects.order_by("-name")[:2])
    for related, kind in (("1-000000099", "HSCA Successor"), ("1-000000007", "HSCA Predecessor")):
        ProviderRelationship.objects.create(
            provider=provider, related_provider_id=related, relationship_type=kind
        )
        LocationRelationship.objects.create(
            location=home, related_location_id=related, relationship_type=kind, reason="Merger"
        )
    nominee = f.make_person(given="Nia", family="Zed")
    f.give_role(nominee, RoleType.NOMINATED_INDIVIDUAL, provider)
    f.give_role(f.make_person(given="Ann", family="Able"), RoleType.PARTNER, provider)
    f.give_role(f.make_person(given="Old", family="Gone"), RoleType.PARTNER, provider, ended=True)
    for given, ended in (("Rita", False), ("Ray", True), ("Rae", False)):
        f.give_role(
            f.make_person(given=given, family="Manager"),
            RoleType.REGISTERED_MANAGER,
            provider,
            location=home,
            ended=ended,
        )
    RoleAssignment.objects.filter(person__given_name="Ray").update(
        activity=RegulatedActivity.objects.order_by("name").first()
    )
    return provider


def test_a_providers_reads_are_the_orms(provider):
    found = detail_reads.provider_detail(provider.id)
    assert found is not None
    expected = (
        Provider.objects.filter(id=provider.id)
        .prefetch_related("activities", "relationships")
        .first()
    )
    assert expected is not None
    assert fields_of(found.provider) == fields_of(expected)
    assert same(found.activities, list(expected.activities.all()))
    names = list(RegulatedActivity.objects.order_by("-name").values_list("name", flat=True)[:2])
    assert [a.name for a in found.activities] == names[::-1]
    assert same(found.relationships, list(expected.relationships.order_by("id")))
    people = detail_reads.provider_people(found.provider)
    assert roles_shown(people) == roles_shown(
        list(
            RoleAssignment.objects.live()
            .filter(provider=provider, location__isnull=True)
            .select_related("person", "activity")
            .order_by("role", "person__family_name", "activity__code")
        )
    )
    assert [role.person.given_name for role in people] == ["Nia", "Ann"]
    assert detail_reads.provider_detail("1-000000000") is None


def test_a_locations_reads_are_the_orms(provider):
    home = Location.objects.get(name="Oak House")
    found = detail_reads.location_detail(home.id)
    assert found is not None
    expected = (
        Location.objects.filter(id=home.id)
        .select_related("provider")
        .prefetch_related("activities", "service_types", "service_user_bands", "relationships")
        .first()
    )
    assert expected is not None
    assert fields_of(found.location) == fields_of(expected)
    assert fields_of(found.location.provider) == fields_of(expected.provider)
    assert same(found.activities, list(expected.activities.all()))
    assert same(found.service_types, list(expected.service_types.all()))
    assert same(found.service_user_bands, list(expected.service_user_bands.all()))
    assert [band.name for band in found.service_user_bands] == ["Dementia", "Older people"]
    assert same(found.relationships, list(expected.relationships.order_by("id")))
    roles = detail_reads.location_roles(found.location)
    assert roles_shown(roles) == roles_shown(
        list(
            RoleAssignment.objects.filter(location=home)
            .select_related("person", "activity")
            .order_by("end_date", "person__family_name", "activity__code")
        )
    )
    assert len(roles) == 3
    assert detail_reads.location_detail("1-000000000") is None


def test_a_role_that_starts_tomorrow_is_on_the_provider_page_tomorrow(provider):
    # The day is one of the compiled query's values, not written into it when compiled.
    starting = f.give_role(f.make_person(given="New", family="Partner"), RoleType.PARTNER, provider)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    RoleAssignment.objects.filter(pk=starting.pk).update(start_date=tomorrow)
    assert "New" not in [r.person.given_name for r in detail_reads.provider_people(provider)]
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert "New" in [r.person.given_name for r in detail_reads.provider_people(provider)]


def test_the_pages_show_every_read(client, provider):
    client.force_login(f.staff_member("inspector@regulator.example"))
    html = client.get(reverse("register:provider", args=[provider.id])).content.decode()
    names = RegulatedActivity.objects.order_by("-name").values_list("name", flat=True)[:2]
    assert "<br>".join(reversed(names)) in html
    assert "HSCA Successor: 1-000000099 (1-000000099)</li><li>HSCA Predecessor" in html
    assert "Nia Zed" in html
    home = Location.objects.get(name="Oak House")
    html = client.get(reverse("register:location", args=[home.id])).content.decode()
    assert "Domiciliary care service<br>Residential homes" in html
    assert "Dementia<br>Older people" in html
    assert "HSCA Successor: 1-000000099 (1-000000099), merger" in html
    assert "Rita Manager" in html
    assert "Ray Manager" in html
