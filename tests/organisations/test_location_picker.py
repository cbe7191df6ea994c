"""The location picker without JavaScript, on the forms that offer a provider's locations to a
manager of a provider with many locations: search, paging, groupings, select all that match,
remove, hostile and too-long searches, replays; and the query count independent of size."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.organisations.models import Invitation
from portal.register.location_picker import CHECKBOX_LIMIT, PAGE_SIZE
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.factories.register import add_many_locations as add_locations


@pytest.fixture
def large(world):
    add_locations(world.p, 120)
    return world


def invite_url(world, name="invite_locations"):
    return reverse(f"organisations:{name}", kwargs={"provider_id": world.p.pk})


def start_invite(client, world):
    client.force_login(world.users["ni"])
    client.post(invite_url(world, "invite_email"), {"email": "colleague@x.example"})
    client.post(invite_url(world, "invite_access"), {"permissions": ["notifications"]})


def result_ids(html):
    return re.findall(r'type="checkbox" value="(1-9\d{8})"', html)


def hidden_ids(html):
    return re.findall(r'type="hidden" name="locations" value="([^"]+)"', html)


def test_few_locations_are_still_checkboxes(client, world):
    start_invite(client, world)
    html = client.get(invite_url(world)).content.decode()
    assert CHECKBOX_LIMIT > 2
    assert 'name="location_search"' not in html
    assert 'value="1-200000001"' in html


def test_many_locations_show_a_page_of_results_and_search(client, large):
    start_invite(client, large)
    html = client.get(invite_url(large)).content.decode()
    assert 'name="location_search"' in html
    assert "All 122 locations, page 1 of 7." in html
    assert len(result_ids(html)) == PAGE_SIZE  # "Branch …" sort before "Sunrise House"
    assert "0 locations chosen" in html
    assert "Any local authority" in html
    # By town, by postcode without its space, by location ID.
    for search, expected in (("york", 30), ("ls3 1ab", 2), ("LS31A", 2), ("1-900000007", 1)):
        html = client.post(
            invite_url(large), {"location_picker": "search", "location_search": search}
        ).content.decode()
        assert f"{expected} location{'s' if expected > 1 else ''} match" in html, search


def test_paging_keeps_what_was_ticked(client, large):
    start_invite(client, large)
    first = result_ids(client.get(invite_url(large)).content.decode())[:2]
    html = client.post(
        invite_url(large), {"location_picker": "page:2", "locations": first}
    ).content.decode()
    assert "page 2 of 7" in html
    assert hidden_ids(html) == first
    assert "2 locations chosen" in html
    # Back on page 1 they are ticked boxes again, not hidden inputs.
    html = client.post(
        invite_url(large), {"location_picker": "page:1", "locations": first}
    ).content.decode()
    assert hidden_ids(html) == []
    for pk in first:
        assert f'value="{pk}" checked' in html


def test_select_all_that_match_then_remove_one_then_continue(client, large):
    start_invite(client, large)
    html = client.post(
        invite_url(large),
        {"location_picker": "select_all", "location_search": "", "location_region": "South West"},
    ).content.decode()
    assert "60 locations added. 60 locations chosen" in html
    chosen = hidden_ids(html) + [pk for pk in result_ids(html) if f'value="{pk}" checked' in html]
    assert len(set(chosen)) == 60
    removed = chosen[0]
    html = client.post(
        invite_url(large), {"location_picker": f"remove:{removed}", "locations": chosen}
    ).content.decode()
    assert "59 locations chosen" in html
    assert removed not in hidden_ids(html)
    response = client.post(invite_url(large), {"locations": [pk for pk in chosen if pk != removed]})
    assert response["Location"] == invite_url(large, "invite_check")
    client.post(invite_url(large, "invite_check"), {})
    invitation = Invitation.objects.get(email="colleague@x.example")
    assert invitation.locations.count() == 59


def test_groupings_by_local_authority_and_service_type(client, large):
    start_invite(client, large)
    html = client.post(
        invite_url(large),
        {"location_picker": "search", "location_service": "Domiciliary care service"},
    ).content.decode()
    assert "24 locations match" in html
    html = client.post(
        invite_url(large),
        {"location_picker": "search", "location_authority": "Authority 1"},
    ).content.decode()
    assert "40 locations match" in html
    # A grouping that is not offered is ignored, not an error.
    html = client.post(
        invite_url(large), {"location_picker": "search", "location_region": "Atlantis"}
    ).content.decode()
    assert "All 122 locations" in html


def test_hostile_and_too_long_searches_lose_nothing(client, large):
    start_invite(client, large)
    kept = result_ids(client.get(invite_url(large)).content.decode())[:1]
    for hostile in ("<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%", "_"):
        response = client.post(
            invite_url(large),
            {"location_picker": "search", "location_search": hostile, "locations": kept},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in html
        assert "0 locations match" in html, hostile
        assert hidden_ids(html) == kept
    # Control characters are dropped, not echoed into the page.
    html = client.post(
        invite_url(large), {"location_picker": "search", "location_search": "Branch\x00 0001"}
    ).content.decode()
    assert "1 location matches" in html
    html = client.post(
        invite_url(large),
        {"location_picker": "search", "location_search": "x" * 101, "locations": kept},
    ).content.decode()
    assert "Search must be 100 characters or fewer" in html
    assert hidden_ids(html) == kept


def test_a_step_is_not_an_answer_and_a_refused_answer_keeps_the_choice(client, large):
    start_invite(client, large)
    # Nothing chosen and a search: no error, no redirect.
    response = client.post(invite_url(large), {"location_picker": "search"})
    assert response.status_code == 200
    assert "Select where they can act" not in response.content.decode()
    # Another provider's location and one of ours, submitted: refused, search kept.
    html = client.post(
        invite_url(large),
        {"locations": [large.c.pk, "1-900000001"], "location_search": "Branch"},
    ).content.decode()
    assert "Select locations from the list" in html
    assert 'value="Branch"' in html
    # Replayed, the answer is saved once and the journey goes on.
    for _ in range(2):
        response = client.post(invite_url(large), {"locations": ["1-900000001"]})
        assert response["Location"] == invite_url(large, "invite_check")


def test_autocomplete_suggestions_are_scoped_to_what_the_user_may_give(client, large):
    url = reverse("organisations:location_search", kwargs={"provider_id": large.p.pk})
    client.force_login(large.users["ni"])
    results = client.get(url, {"q": "Branch 000"}).json()["results"]
    assert [r["id"] for r in results] == [f"1-90000000{n}" for n in range(10)]
    assert client.get(url, {"q": "x" * 101}).json()["results"] == []
    assert client.get(url, {"q": large.c.pk}).json()["results"] == []
    # A manager of location A only is offered A alone; someone who cannot manage gets 403/404.
    client.force_login(large.users["rm_a"])
    assert [r["id"] for r in client.get(url, {"q": "Sun"}).json()["results"]] == [large.a.pk]
    client.force_login(large.users["delegate_view_whole"])
    assert client.get(url, {"q": "Branch"}).status_code in (403, 404)


def test_change_access_keeps_permissions_through_a_picker_step(client, large):
    member = make_user("member@sunrise.example")
    membership = give_access(member, large.p, ["view"], [large.a], granted_by=large.users["ni"])
    url = reverse(
        "organisations:member_change",
        kwargs={"provider_id": large.p.pk, "membership_id": membership.pk},
    )
    client.force_login(large.users["ni"])
    html = client.post(
        url,
        {
            "location_picker": "select_all",
            "location_search": "Bristol",
            "permissions": ["notifications"],
            "locations": [large.a.pk],
        },
    ).content.decode()
    assert "30 locations added. 31 locations chosen" in html
    assert 'value="notifications" checked' in html
    assert "Select what they can do" not in html


@pytest.mark.parametrize("count", [30, 1000])
def test_invite_locations_query_count_does_not_grow(client, world, count):
    add_locations(world.p, count)
    start_invite(client, world)
    client.get(invite_url(world))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            invite_url(world), {"location_picker": "select_all", "location_search": "Leeds"}
        )
    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def team_url(world, **query):
    url = reverse("organisations:team", kwargs={"provider_id": world.p.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_team_page_filters_by_name_location_and_access_level(client, large):
    client.force_login(large.users["ni"])
    html = client.get(team_url(large, q="notifications_a")).content.decode()
    assert "delegate_notifications_a@sunrise.example" in html
    assert "delegate_view_a@sunrise.example" not in html
    assert ">Registered people</h2>" not in html  # filters narrow people given access only
    # At Sunset Lodge (B): only whole-provider members, none of A's.
    html = client.get(team_url(large, location="Sunset")).content.decode()
    assert "delegate_view_whole@sunrise.example" in html
    assert "delegate_view_a@sunrise.example" not in html
    html = client.get(team_url(large, location=large.a.pk, level="team")).content.decode()
    assert "delegate_team_a@sunrise.example" in html
    assert "delegate_view_a@sunrise.example" not in html
    html = client.get(team_url(large, q="nobody-matches")).content.decode()
    assert "Nobody given access matches your filters." in html


def test_team_page_filters_refuse_bad_input_with_a_clear_error(client, large):
    client.force_login(large.users["ni"])
    html = client.get(team_url(large, q="x" * 101)).content.decode()
    assert "Name or email must be 100 characters or fewer" in html
    assert "<title>Error: " in html
    html = client.get(team_url(large, level="owner")).content.decode()
    assert "Select an access level from the list" in html
    for hostile in ("<script>alert(1)</script>", "' OR 1=1 --", "../../etc", "%25", "x%00y"):
        response = client.get(team_url(large, q=hostile, location=hostile))
        assert response.status_code == 200  # and valid HTML: the checking client parses it
        assert "<script>alert(1)</script>" not in response.content.decode()
        assert "Nobody given access matches your filters." in response.content.decode()


def test_team_page_paging_keeps_the_filters(client, large):
    for number in range(60):
        give_access(
            make_user(f"many{number:02d}@sunrise.example"),
            large.p,
            ["view"],
            None,
            granted_by=large.users["ni"],
        )
    client.force_login(large.users["ni"])
    html = client.get(team_url(large, q="many", level="view")).content.decode()
    assert "many00@sunrise.example" in html
    assert "many59@sunrise.example" not in html
    assert "q=many&amp;level=view&amp;page=2" in html
    html = client.get(team_url(large, q="many", level="view", page=2)).content.decode()
    assert "many59@sunrise.example" in html
    assert "many00@sunrise.example" not in html


@pytest.mark.parametrize("count", [30, 1000])
def test_team_page_query_count_with_many_locations(client, world, count):
    rows = add_locations(world.p, count)
    member = make_user("wide@sunrise.example")
    give_access(member, world.p, ["view"], rows[:200], granted_by=world.users["ni"])
    client.force_login(world.users["ni"])
    client.get(team_url(world))
    for query in ({}, {"location": "Branch 0007", "level": "view", "q": "wide"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(team_url(world, **query))
        assert response.status_code == 200
        assert len(queries) <= 12, [q["sql"] for q in queries]


def registration_url(**query):
    url = reverse("register:your_registration")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_your_registration_pages_and_searches_a_thousand_locations(client, world):
    add_locations(world.p, 1000)
    client.force_login(world.users["ni"])
    client.get(registration_url())
    with CaptureQueriesContext(connection) as queries:
        html = client.get(registration_url()).content.decode()
    assert len(queries) <= 12, [q["sql"] for q in queries]
    assert "1 to 25 of 1002 locations." in html
    assert "Branch 0024" in html
    assert "Branch 0025" not in html
    with CaptureQueriesContext(connection) as queries:
        html = client.get(registration_url(q="york", page=3)).content.decode()
    assert len(queries) <= 12
    assert "51 to 75 of 250 locations matching “york”." in html
    assert "q=york&amp;page=4" in html
    assert "q=york&amp;page=2" in html
    html = client.get(registration_url(q="LS31AB")).content.decode()
    assert "of 11 locations matching" in html  # n = 11 + 90k
    html = client.get(registration_url(q="1-900000420")).content.decode()
    assert "Branch 0420" in html
    assert "1 to 1 of 1 location matching" in html
    html = client.get(registration_url(page=999)).content.decode()
    assert "There are no more locations to show." in html


def test_your_registration_search_refuses_bad_input_clearly(client, world):
    add_locations(world.p, 30)
    client.force_login(world.users["ni"])
    html = client.get(registration_url(q="x" * 101)).content.decode()
    assert "Search must be 100 characters or fewer" in html
    assert "1 to 25 of 32 locations." in html  # every location, as unsearched
    for hostile in ("<script>alert(1)</script>", "' OR 1=1 --", "../../etc", "%25", "x%00y"):
        html = client.get(registration_url(q=hostile)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "No location here matches your search." in html, hostile
    for page in ("0", "-1", "abc", "9" * 30):
        assert (
            "1 to 25 of 32 locations." in client.get(registration_url(page=page)).content.decode()
        )


def test_choosing_one_location_for_a_notification_among_many(client, large):
    url = reverse("notifications:choose_location", args=[large.p.pk])
    client.force_login(large.users["ni"])
    html = client.get(url).content.decode()
    assert 'name="location_search"' in html
    assert 'type="radio"' in html
    assert "The provider as a whole" in html
    html = client.post(
        url, {"location_picker": "search", "location_search": "Branch 0101"}
    ).content.decode()
    assert "1 location matches" in html
    assert "Select the location this notification is about" not in html
    assert "locations chosen" not in html  # one location: no summary, no select all
    response = client.post(url, {"location": "1-900000101", "location_search": "Branch 0101"})
    assert response.status_code == 302
    assert "1-900000101" in response["Location"]
    html = client.post(url, {"location": large.c.pk}).content.decode()
    assert "Select the location this notification is about" in html
