"""History for a provider with many locations: the location filter is a search (name, town,
postcode or ID), not a list of hundreds of options, and works without JavaScript."""

import pytest
from django.urls import reverse

from portal.register.location_picker import CHECKBOX_LIMIT
from tests.factories.notifications import submit
from tests.factories.register import add_many_locations

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """Organisation gets 40 more locations (towns Leeds, York, Bristol, Oldham in turn)."""
    provider = world.providers["Organisation"]
    return add_many_locations(provider, 40)


@pytest.fixture
def sent(client, world):
    """A death at Organisation House, police at Other House; the nominated individual signed
    in."""
    death = submit("death", world.manager, world.locations["Organisation"])
    police = submit("police", world.other_manager, world.other_location)
    client.force_login(world.nominated["Organisation"])
    return death, police


def _history(client, **params):
    return client.get(reverse("notifications:history"), params).content.decode()


def _listed(notification, html):
    """Whether the history's results link to this notification (the reference field's
    example is a real-looking reference, which an earlier test's notification may have)."""
    return f'{notification.reference}/">{notification.reference}</a>' in html


def test_a_few_locations_are_a_list(client, world):
    client.force_login(world.nominated["Organisation"])
    html = _history(client)
    assert '<select class="govuk-select" id="id_location" name="location"' in html
    assert "Other House</option>" in html


def test_many_locations_are_searched_for_by_name_town_postcode_or_id(client, world, many, sent):
    home = world.locations["Organisation"]
    death, police = sent
    html = _history(client)
    assert 'name="location"' in html
    assert '<select class="govuk-select" id="id_location"' not in html
    assert "Name, town, postcode or location ID" in html
    assert many[0].name not in html  # no list of the locations
    assert len(many) + 2 > CHECKBOX_LIMIT

    for search in (home.pk, home.pk.lower(), "organisation house", " House ", "oldham"):
        page = _history(client, location=search)
        assert _listed(death, page), search
    only_home = _history(client, location="Organisation Ho")
    assert _listed(death, only_home)
    assert not _listed(police, only_home)
    assert 'value="Organisation Ho"' in only_home  # what was typed is kept
    by_postcode = _history(client, location="ol11aa")  # factory postcode OL1 1AA, spaced
    assert _listed(death, by_postcode)
    assert _listed(police, by_postcode)
    none = _history(client, location="Nowhere at all")
    assert "0 notifications match your filters" in none
    too_long = _history(client, location="x" * 101)
    assert "Location must be 100 characters or fewer" in too_long


def test_the_export_takes_the_same_location_search(client, world, many, sent):
    death, police = sent
    response = client.get(reverse("notifications:export"), {"location": "Other House"})
    body = b"".join(response.streaming_content).decode()
    assert police.reference in body
    assert death.reference not in body


def test_suggestions_are_only_locations_the_user_may_see(client, world, many):
    url = reverse("notifications:history_locations")
    client.force_login(world.manager)  # registered manager of Organisation House only
    mine = client.get(url, {"q": "house"}).json()["results"]
    assert [result["name"] for result in mine] == ["Organisation House"]
    assert client.get(url, {"q": "Branch"}).json() == {"results": []}
    client.force_login(world.nominated["Organisation"])
    found = client.get(url, {"q": "branch 000"}).json()["results"]
    assert [result["name"] for result in found] == [f"Branch 000{n}" for n in range(10)]
    assert found[0]["id"] == many[0].pk
    assert client.get(url, {"q": " "}).json() == {"results": []}
    assert client.get(url, {"q": "x" * 101}).json() == {"results": []}
