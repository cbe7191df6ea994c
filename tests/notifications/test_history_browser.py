"""In a real browser: the history of a provider with many locations is filtered by a location
found with the autocomplete, by keyboard alone, and axe finds nothing on the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories.notifications import submit
from tests.factories.register import add_many_locations
from tests.organisations.test_location_picker_browser import tab_to
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_history_by_a_location_found_by_search(page, live_server, world):
    provider = world.providers["Organisation"]
    many = add_many_locations(provider, 300)
    ni = world.nominated["Organisation"]
    wanted = submit("death", ni, many[7])
    other = submit("death", ni, many[8])
    sign_in_with_session(page, live_server, ni)
    page.goto(live_server.url + reverse("notifications:history"))
    assert page.locator("select[name=location]").count() == 0
    combobox = page.locator("input[name=location][role=combobox]")
    combobox.wait_for()
    assert_accessible(page)
    tab_to(page, "input[name=location]")
    page.keyboard.type("Branch 0007")
    expect(page.get_by_role("option").first).to_contain_text("Branch 0007,")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(combobox).to_have_value("Branch 0007")
    tab_to(page, "form[method=get] button.govuk-button--secondary")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*location=Branch\+0007.*"))
    main = page.inner_text("main")
    assert wanted.reference in main
    assert other.reference not in main
    assert "1 notification matches your filters." in main
    assert_accessible(page)
