"""The team page's registered people, a page at a time (a national provider has hundreds of
registered managers)."""

import re

from django.urls import reverse
from django.utils import timezone

from portal.frontend.formats import govuk_date
from portal.register.models import Person, RoleAssignment, RoleType
from tests.factories.register import add_many_locations

MANAGERS = 120


def _many_managers(world):
    """MANAGERS registered managers at P, family names Manager000…, the first of them at
    location A as well as their own."""
    locations = add_many_locations(world.p, MANAGERS)
    people = Person.objects.bulk_create(
        Person(person_ref=f"M{n}", given_name="Mo", family_name=f"Manager{n:03d}")
        for n in range(MANAGERS)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            person=person, role=RoleType.REGISTERED_MANAGER, provider=world.p, location=location
        )
        for person, location in zip(people, locations, strict=True)
    )
    RoleAssignment.objects.create(
        person=people[0], role=RoleType.REGISTERED_MANAGER, provider=world.p, location=world.a
    )
    return locations


def _registered_section(html):
    start = html.index('id="registered-people"')
    return html[start : html.index('id="people-given-access"')]


def _names(section):
    return re.findall(r"Mo (Manager\d{3})", section)


def test_registered_people_come_fifty_at_a_time_by_family_name(client, world):
    _many_managers(world)
    client.force_login(world.users["ni"])
    url = reverse("organisations:team", kwargs={"provider_id": world.p.pk})
    first = _registered_section(client.get(url).content.decode())
    assert _names(first) == [f"Manager{n:03d}" for n in range(50)]
    assert "Showing registered people 1 to 50, by family name." in first
    assert 'aria-label="Registered people pages"' in first
    assert "people_page=2#registered-people" in first
    # One row per person, with every location they manage.
    assert re.search(r"Manager000.*?Branch 0000.*?Sunrise House", first, re.S)

    second = client.get(url, {"people_page": "2"}).content.decode()
    section = _registered_section(second)
    assert _names(section) == [f"Manager{n:03d}" for n in range(50, 100)]
    assert "people_page=1#registered-people" in section
    assert "people_page=3#registered-people" in section
    # The people given access are still shown, from their first page.
    assert "delegate_view_whole@sunrise.example" in second

    last = _registered_section(client.get(url, {"people_page": "3"}).content.decode())
    assert _names(last) == [f"Manager{n:03d}" for n in range(100, MANAGERS)]
    for name in ("Nina Ni", "Rita Rm", "Bob Rm"):
        assert name in last
    assert "people_page=4" not in last

    beyond = _registered_section(client.get(url, {"people_page": "9"}).content.decode())
    assert "There are no more registered people to show." in beyond
    assert "people_page=8#registered-people" in beyond
    for junk in ("0", "-1", "x", "99999999"):
        assert _names(_registered_section(client.get(url, {"people_page": junk}).content.decode()))


def test_a_manager_pages_through_only_the_people_they_may_see(client, world):
    _many_managers(world)
    client.force_login(world.users["rm_a"])
    url = reverse("organisations:team", kwargs={"provider_id": world.p.pk})
    section = _registered_section(client.get(url).content.decode())
    # At location A: themselves, the manager who is also there, and the nominated individual.
    assert _names(section) == ["Manager000"]
    assert "Rita Rm" in section
    assert "Nina Ni" in section
    assert "Bob Rm" not in section
    assert "Branch 0000" not in section  # where they cannot see
    assert "people_page=" not in section


def test_each_registered_person_says_whether_and_when_they_signed_in(client, world):
    _many_managers(world)
    rita = world.users["rm_a"]
    rita.last_login = None
    rita.save(update_fields=["last_login"])
    client.force_login(world.users["ni"])  # signing in sets Nina's last sign-in to now
    url = reverse("organisations:team", kwargs={"provider_id": world.p.pk})
    section = _registered_section(client.get(url, {"people_page": "3"}).content.decode())
    rows = {
        name: row
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', section, re.S)
        for name in re.findall(r'data-label="Name">([^<]+)<', row)
    }
    last_signed_in = {
        name: re.findall(r'"Last signed in">([^<]+)<', row)[0] for name, row in rows.items()
    }
    assert last_signed_in["Mo Manager100"] == "No account yet"
    assert last_signed_in["Rita Rm"] == "Not yet"
    assert last_signed_in["Nina Ni"] == govuk_date(timezone.now())
    assert "Registered manager" in rows["Rita Rm"]
