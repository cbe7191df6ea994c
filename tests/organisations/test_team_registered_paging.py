"""The team page's registered people, a page at a time (a national provider has hundreds of
registered managers)."""

import re

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from portal.frontend.formats import govuk_date
from portal.organisations.access import WHOLE_PROVIDER_ROLES, scope_for
from portal.organisations.permissions import Permission
from portal.organisations.selectors import _registered_rows, registered_people
from portal.register.models import Location, Person, RoleAssignment, RoleType
from tests.factories.register import add_many_locations, give_role, make_person

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


def _rows_chosen_by_a_subquery(provider_id, day, location_ids, start, size):
    """How the page's roles were read before the window rank (the reference): the page's
    people as a subquery of people with a live role, then their live roles."""
    live = RoleAssignment.objects.live(on=day).filter(provider_id=provider_id)
    if location_ids is not None:
        live = live.filter(Q(role__in=WHOLE_PROVIDER_ROLES) | Q(location_id__any_of=location_ids))
    on_page = (
        Person.objects.filter(Exists(live.filter(person_id=OuterRef("pk"))))
        .order_by("family_name", "given_name", "pk")
        .values("pk")[start : start + size + 1]
    )
    order = ("person__family_name", "person__given_name", "person_id")
    return list(
        live.filter(person_id__in=on_page)
        .order_by(*order, "location__name")
        .values_list(
            "person_id",
            "role",
            "person__title",
            "person__given_name",
            "person__family_name",
            "location__name",
            "person__user__id",
            "person__user__last_login",
        )
    )


def test_each_page_reads_the_roles_the_subquery_read(world):
    locations = _many_managers(world)
    # Namesakes (ordered by their IDs), an ended role, a deregistered location, a second
    # role for a nominated individual, and a person whose only role is elsewhere.
    twins = Person.objects.bulk_create(
        Person(person_ref=f"T{n}", given_name="Mo", family_name="Manager050") for n in range(3)
    )
    for twin, location in zip(twins, locations[:3], strict=True):
        give_role(twin, RoleType.REGISTERED_MANAGER, world.p, location)
    RoleAssignment.objects.filter(location=locations[7]).update(end_date=timezone.localdate())
    Location.objects.filter(pk=locations[9].pk).update(registration_status="Deregistered")
    nina = world.users["ni"].person
    give_role(nina, RoleType.REGISTERED_MANAGER, world.p, world.b)
    type(world.users["ni"]).objects.filter(pk=world.users["ni"].pk).update(
        last_login=timezone.now()
    )
    give_role(make_person(family="Elsewhere"), RoleType.REGISTERED_MANAGER, world.q, world.c)
    day = timezone.localdate()
    for seen_at in (None, frozenset({world.a.pk}), frozenset(loc.pk for loc in locations[:60])):
        for start in (0, 50, 100, 150):
            expected = _rows_chosen_by_a_subquery(world.p.pk, day, seen_at, start, 50)
            rows = list(_registered_rows(world.p.pk, day, seen_at, start, 50))
            assert [row[:-1] for row in rows] == [row[:-1] for row in expected]
            # Each person's last sign-in on one of their rows, not on each.
            for person_id in {row[0] for row in expected}:
                signed_in = [row[-1] for row in rows if row[0] == person_id]
                was = {row[-1] for row in expected if row[0] == person_id}
                assert was == {max(signed_in, key=bool)}
                assert len([moment for moment in signed_in if moment]) == (None not in was)
    for user in ("ni", "rm_a", "rm_b"):
        # The compiled first page too (its people, as registered_people makes them).
        people, more = registered_people(world.users[user], world.p)
        sees = scope_for(world.users[user], Permission.VIEW_TEAM, world.p)
        seen_at = None if sees.whole_provider else sees.location_ids
        rows = _rows_chosen_by_a_subquery(world.p.pk, day, seen_at, 0, 50)
        assert len({row[0] for row in rows}) == len(people) + more
        last_sign_in = {person.name: person.last_login for person in people}
        if user != "ni":  # on the first page of those who see less
            assert last_sign_in["Nina Ni"] is not None
