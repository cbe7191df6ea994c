"""The form adapter in a real browser: every field in error, accessible, usable by keyboard."""

import pytest

from tests.support.browser import assert_accessible, assert_keyboard_reaches_every_link
from tests.support.test_site.fixture import use_test_site

URL = "/test-only/every-field/"


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_field_in_error_is_accessible_and_works_by_keyboard(page, settings):
    use_test_site(settings)
    page.goto(URL)
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(URL)
    assert page.title().startswith("Error: Tell us about an incident")
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    assert page.evaluate("() => document.activeElement.className").startswith("govuk-error-summary")
    assert page.locator(".govuk-error-summary__list a").count() == 12
    assert page.locator(".govuk-error-message").count() == 12
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)

    # Each summary link puts focus on the exact input it names.
    page.get_by_role("link", name="Enter date of the incident").click()
    assert focused_id(page) == "id_incident_date-day"
    page.get_by_role("link", name="Select how we should contact you").click()
    assert focused_id(page) == "id_contact_method"

    # Conditional reveal by keyboard: arrow to "Phone", the phone question appears next.
    phone = page.locator("#id_phone")
    assert not phone.is_visible()
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "id_contact_method-2"
    assert page.locator("#id_contact_method-2").is_checked()
    assert phone.is_visible()
    # aria-controls stays; the aria-expanded ARIA forbids on radios is gone (see portal.js).
    radio = page.locator("#id_contact_method-2")
    assert radio.get_attribute("aria-controls") == "conditional-id_contact_method-2"
    assert radio.get_attribute("aria-expanded") is None
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_phone"

    # Checkboxes: Space on "Something else" reveals its question.
    page.locator("#id_services-3").focus()
    other = page.locator("#id_other_service")
    assert not other.is_visible()
    page.keyboard.press("Space")
    assert other.is_visible()
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_other_service"

    # Password show/hide by keyboard.
    page.locator("#id_password").fill("a long passphrase")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("#id_password").get_attribute("type") == "text"
    page.keyboard.press("Enter")
    assert page.locator("#id_password").get_attribute("type") == "password"

    # Character count tells people how much room is left.
    page.locator("#id_description").fill("x" * 190)
    page.wait_for_function(
        "() => document.querySelector('.govuk-character-count__status').textContent.includes('10 characters remaining')"
    )

    # Revealed questions and updated counters are still accessible.
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("question", ["contact", "email", "fee"])
def test_one_question_pages_are_accessible_with_and_without_errors(page, settings, question):
    use_test_site(settings)
    page.goto(f"/test-only/question/{question}/")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
