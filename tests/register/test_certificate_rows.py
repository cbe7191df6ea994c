"""The certificate read through queries compiled once (register/certificates.py) says what the
register says, and the digest its locations table is kept by changes with anything the
table shows, however the register was changed (a service or a plain update)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.register import certificate_pages
from portal.register.certificates import Certificate, ReadLocations, certificate_for
from portal.register.models import (
    Location,
    Person,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)
from tests.applications.register_effects_helpers import named_location, person, registered

pytestmark = pytest.mark.django_db


def _names(people: list[Person]) -> list[str]:
    return [p.full_name for p in people]


def test_the_certificate_says_what_the_register_holds():
    provider = registered().provider
    found = certificate_for(provider.id)
    assert found is not None
    assert found.provider == provider
    assert found.provider.address_lines == provider.address_lines
    assert [a.name for a in found.activities] == [a.name for a in provider.activities.all()]
    registered_here = Location.objects.filter(
        provider=provider, registration_status=RegistrationStatus.REGISTERED
    ).order_by("name", "id")
    assert [
        (e.location.id, e.location.name, e.location.address_lines) for e in found.locations
    ] == [(place.id, place.name, place.address_lines) for place in registered_here]
    for entry in found.locations:
        place = Location.objects.get(pk=entry.location.id)
        assert [a.name for a in entry.activities] == [a.name for a in place.activities.all()]
    managers = {e.location.name: _names(e.managers) for e in found.locations}
    assert managers == {"Brook Lodge": ["Bea Both"], "Mill House": ["Bea Both", "Mo Manager"]}
    assert _names(found.nominated_individuals) == ["Nora Nominee"]
    assert [e.location.name for e in found.location_conditions] == ["Mill House"]
    assert [c.text for c in found.location_conditions[0].conditions] == [
        "Accommodate no more than 12 people"
    ]
    assert [
        (m.manager.full_name, [c.text for c in m.conditions]) for m in found.manager_conditions
    ] == [("Mo Manager", ["Complete medicines training by March"])]
    again = certificate_for(provider.id)
    assert again is not None
    assert again.table_digest == found.table_digest  # the same rows, the same digest
    Provider.objects.filter(pk=provider.pk).update(registration_status="Deregistered")
    assert certificate_for(provider.id) is None


def _table(provider_id: str) -> tuple[str, str]:
    found = certificate_for(provider_id)
    assert found is not None
    table = certificate_pages.locations_table(found)
    assert table is not None
    return found.table_digest, str(table)


def test_the_kept_table_follows_every_change_it_shows(monkeypatch):
    cache.clear()
    monkeypatch.setattr(certificate_pages, "CACHED_FROM_LOCATIONS", 0)
    provider = registered().provider
    mill = named_location(provider, "Mill House")
    digests = set()

    def changed(shown: str) -> None:
        digest, table = _table(provider.id)
        assert digest not in digests
        digests.add(digest)
        assert shown in table

    changed("Mill House")
    Location.objects.filter(pk=mill.pk).update(address_line_1="2 New Road")
    changed("2 New Road")
    Person.objects.filter(pk=person("bea@example.com").pk).update(given_name="Beatrice")
    changed("Beatrice Both")
    _digest, before = _table(provider.id)
    mill.activities.remove(*mill.activities.filter(code="RA2"))
    digest, after = _table(provider.id)
    assert digest not in digests
    digests.add(digest)
    assert after.count("<br>") == before.count("<br>") - 1  # one activity fewer at Mill House
    ended = timezone.localdate()
    RoleAssignment.objects.filter(
        person=person("mo@example.com"), role=RoleType.REGISTERED_MANAGER
    ).update(end_date=ended)
    changed("Beatrice Both")
    assert "Mo Manager" not in _table(provider.id)[1]
    Provider.objects.filter(pk=provider.pk).update(name="Renamed & Co")
    changed("Locations of Renamed &amp; Co")
    # Tomorrow a role starting then is on the certificate: the day is in what is read.
    RoleAssignment.objects.filter(person=person("mo@example.com")).update(
        start_date=ended + dt.timedelta(days=1), end_date=None
    )
    assert "Mo Manager" not in _table(provider.id)[1]


def _shown(found: Certificate) -> list[tuple[object, ...]]:
    return [
        (
            entry.location,
            [activity.name for activity in entry.activities],
            _names(entry.managers),
            [condition.text for condition in entry.conditions],
        )
        for entry in found.locations
    ]


def test_the_locations_made_when_walked_are_the_same_whichever_is_asked_first():
    # The locations are made only when something walks them (ReadLocations): asking for the
    # locations with conditions first, or for their number, must not change what they say.
    provider = registered().provider
    walked = certificate_for(provider.id)
    conditions_first = certificate_for(provider.id)
    assert walked is not None
    assert conditions_first is not None
    assert isinstance(walked.locations, ReadLocations)
    shown = _shown(walked)
    assert [e.location.name for e in conditions_first.location_conditions] == ["Mill House"]
    assert len(conditions_first.locations) == len(shown) == 2
    assert _shown(conditions_first) == shown
    assert conditions_first.locations[1] is conditions_first.location_conditions[0]
    assert [e.location.name for e in walked.location_conditions] == ["Mill House"]
    # A condition at a location no longer registered is on no certificate.
    Location.objects.filter(name="Mill House").update(registration_status="Deregistered")
    found = certificate_for(provider.id)
    assert found is not None
    assert found.location_conditions == []
    assert [place for place, *_ in _shown(found)] == [walked.locations[0].location]
