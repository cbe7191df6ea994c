"""A provider with a thousand locations in a real browser: the nominated individual invites a
colleague to three locations found by search, by keyboard alone, with the autocomplete, and
axe finds nothing on any page of the journey."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.organisations.models import Invitation
from tests.factories.register import add_many_locations
from tests.organisations.conftest import build_world
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    sign_in_with_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = ["Branch 0007", "Branch 0420", "Branch 0999"]


def tab_to(page, selector, max_tabs=80):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(max_tabs):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def test_invite_to_three_of_a_thousand_locations_by_search_and_keyboard(page, live_server):
    world = build_world()
    add_many_locations(world.p, 1000)
    sign_in_with_session(page, live_server, world.users["ni"])
    page.goto(
        live_server.url + reverse("organisations:invite_email", kwargs={"provider_id": world.p.pk})
    )
    assert_accessible(page)
    tab_to(page, "input[name=email]")
    page.keyboard.type("colleague@sunrise.example")
    page.keyboard.press("Enter")

    page.wait_for_url("**/invite/access/")
    tab_to(page, "input[value=notifications]")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")

    page.wait_for_url("**/invite/locations/")
    assert "All 1002 locations, page 1 of 51." in page.inner_text("main")
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    enhanced = page.locator("input[name=location_search][role=combobox]")
    enhanced.wait_for()
    tab_to(page, "input[name=location_search]")
    for count, name in enumerate(CHOSEN, start=1):
        # With focus in the search box, type, move to the suggestion, choose it.
        page.keyboard.type(name)
        expect(page.get_by_role("option").first).to_contain_text(f"{name},")
        assert_accessible(page)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.get_by_text(f"{name} added. {count} location").wait_for()
        enhanced.wait_for()  # the search box is the autocomplete again
        # Focus is back in the search box for the next one.
        assert page.evaluate("() => document.activeElement.name") == "location_search"
    assert_accessible(page)
    summary = page.inner_text("main")
    assert "3 locations chosen" in summary
    tab_to(page, "button:not([name])")  # the form's own button: Continue
    page.keyboard.press("Enter")

    page.wait_for_url("**/invite/check/")
    assert_accessible(page)
    checked = page.inner_text("main")
    for name in CHOSEN:
        assert name in checked
    tab_to(page, "form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**sent=1")
    invitation = Invitation.objects.get(email="colleague@sunrise.example")
    assert sorted(invitation.locations.values_list("name", flat=True)) == CHOSEN
