"""The home journeys in a real browser: sign in, land on the home, reach each section in one
click (from the page and from the service navigation); axe and keyboard checks on each home."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import KNOWN_KEY, Account, browser_sign_in
from tests.home.conftest import HomeWorld, build_home_world
from tests.support.browser import (
    check_page,
    sign_in_with_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user) -> None:
    browser_sign_in(page, Account(user, KNOWN_KEY, []), step=1)


def navigation_link(page, name: str):
    return page.locator(".govuk-service-navigation").get_by_role("link", name=name, exact=True)


def test_a_registered_manager_signs_in_and_reaches_each_section_in_one_click(page):
    world: HomeWorld = build_home_world()
    sign_in(page, world.manager)
    assert page.url.endswith("/home/")
    check_page(page)
    team = reverse("organisations:team", kwargs={"provider_id": world.provider.pk})
    from_the_page = [
        ("Send a notification", f"/notifications/new/{world.provider.pk}/"),
        ("Notifications you have sent (history)", "/notifications/"),
        ("Your registration", "/registration/"),
        (f"Your team at {world.provider.name}", team),
        ("Which notification do I need?", "/notifications/which-notification/"),
    ]
    for name, path in from_the_page:
        page.goto("/home/")
        page.locator("main").get_by_role("link", name=name, exact=True).click()
        assert page.url.split("?")[0].endswith(path), (name, page.url)
    for name, path in [
        ("Notifications", "/notifications/"),
        ("Your registration", "/registration/"),
        ("Your team", team),
    ]:
        page.goto("/home/")
        navigation_link(page, name).click()
        assert page.url.endswith(path), (name, page.url)
        assert navigation_link(page, name).get_attribute("aria-current") == "page"
    # What needs the manager now: the regulator's question is one click from home too.
    page.goto("/home/")
    page.get_by_role("link", name=f"Answer our question about {world.police.reference}").click()
    assert "/questions/" in page.url


def test_staff_sign_in_and_reach_the_inbox_and_the_register_in_one_click(page):
    world = build_home_world()
    sign_in(page, world.staff)
    assert page.url.endswith("/home/")
    check_page(page)
    for name, path in [("Inbox", "/regulator/notifications/"), ("Register", "/register/")]:
        page.goto("/home/")
        navigation_link(page, name).click()
        assert page.url.endswith(path), (name, page.url)
    for name, path in [
        ("Notifications inbox", "/regulator/notifications/"),
        ("Search the register", "/register/"),
        ("Second factor reset requests", "/staff/second-factor-resets/"),
    ]:
        page.goto("/home/")
        page.locator("main").get_by_role("link", name=name, exact=True).click()
        assert page.url.endswith(path), (name, page.url)


def test_the_other_homes_pass_axe_and_work_by_keyboard(page, live_server):
    world = build_home_world()
    for user in (world.nominated, world.delegate, world.newcomer):
        sign_in_with_session(page, live_server, user)
        page.goto("/home/")
        check_page(page)
    # Signed in, the start page offers the home rather than sign-up and sign-in.
    page.goto("/")
    check_page(page)
    page.get_by_role("button", name="Go to your home page").click()
    assert page.url.endswith("/home/")


def test_on_a_phone_the_navigation_opens_from_its_menu_button(page):
    world = build_home_world()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, world.manager)
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    navigation_link(page, "Your registration").click()
    assert page.url.endswith("/registration/")
    check_page(page)
