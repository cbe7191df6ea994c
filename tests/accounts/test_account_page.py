""" "Your account": what it tells each kind of user about changing their email address."""

import pytest

from portal.organisations.access import LOCATIONS_LISTED_UP_TO
from portal.register.models import Location, RoleType
from tests import factories as f
from tests.factories.register import add_many_locations
from tests.support.html import Page, text

pytestmark = pytest.mark.django_db


def test_staff_are_not_told_to_ask_a_provider_to_change_their_email(client):
    staff = f.staff_member("inspector@regulator.example")
    client.force_login(staff)
    html = client.get("/account/").content.decode()
    assert "Your account" in html
    assert "change of contact details" not in html
    assert "your provider" not in html


def test_registered_people_are_told_how_their_email_changes(client, account):
    client.force_login(account.user)
    html = client.get("/account/").content.decode()
    assert "change of contact details notification" in html


def _act_for_rows(html: str) -> list[list[str]]:
    (table,) = [
        table
        for table in Page(html).all("table")
        if text(table.find("caption")) == "Your registered roles"
    ]
    assert [text(th) for th in table.iter("th")] == ["Role", "Provider", "Location"]
    return [[text(td) for td in row.iter("td")] for row in table.find("tbody").iter("tr")]


def test_a_role_at_a_few_locations_is_a_row_for_each(client, account):
    client.force_login(account.user)
    rows = _act_for_rows(client.get("/account/").content.decode())
    provider = account.user.person.roles.get(role=RoleType.NOMINATED_INDIVIDUAL).provider
    named = f"{provider.name} ({provider.pk})"
    assert [row[:2] for row in rows] == [
        ["Nominated individual", named],
        ["Registered manager", named],
        ["Registered manager", named],
    ]
    assert rows[0][2] == "All locations"
    locations = Location.objects.filter(provider=provider).order_by("name")
    assert [row[2] for row in rows[1:]] == [f"{loc.name} ({loc.pk})" for loc in locations]


def test_a_manager_of_many_locations_sees_them_counted_in_one_row(client):
    """Past LOCATIONS_LISTED_UP_TO locations, one role at one provider is one row that
    counts them and links to "Your providers", which names them, rather than hundreds of
    rows on every visit to the account page."""
    person = f.make_person("many.homes@sunrise.example")
    provider = f.make_provider()
    count = LOCATIONS_LISTED_UP_TO + 1
    locations = add_many_locations(provider, count)
    for location in locations:
        f.give_role(person, RoleType.REGISTERED_MANAGER, location=location)
    client.force_login(f.make_user(person.email, person))
    html = client.get("/account/").content.decode()
    assert _act_for_rows(html) == [
        [
            "Registered manager",
            f"{provider.name} ({provider.pk})",
            f"{count} locations of {provider.name}",
        ]
    ]
    (link,) = [a for a in Page(html).all("a") if text(a).startswith(f"{count} locations")]
    assert link.get("href") == f"/providers/#provider-{provider.pk}"
    providers_page = Page(client.get("/providers/").content)
    assert provider.name in text(providers_page.by_id(f"provider-{provider.pk}"))
    (main,) = providers_page.all("main")
    listed = text(main)
    assert all(location.name in listed for location in locations)
