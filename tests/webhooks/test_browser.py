"""Webhooks in a real browser, keyboard only, with axe (WCAG 2.2 AA) on every page: add an
endpoint, see its secret once, send a test event, see it delivered in the log."""

import pytest
from django.urls import reverse

from portal.webhooks.delivery import deliver_next
from portal.webhooks.models import Endpoint
from tests.support.browser import (
    check_page,
    sign_in_with_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page, locator):
    """Enter on a button or link that loads another page, and wait for that page."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_manager_adds_an_endpoint_and_follows_a_test_event(page, live_server, hooks, receiver):
    sign_in_with_session(page, live_server, hooks.manager)
    page.goto(reverse("webhooks:endpoints", kwargs={"provider_id": hooks.provider.pk}))
    check_page(page)
    press(page, page.get_by_role("button", name="Add an endpoint"))
    check_page(page)
    press(page, page.get_by_role("button", name="Add endpoint"))  # nothing entered
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page)
    page.get_by_label("Endpoint address").focus()
    page.keyboard.type(receiver.url)
    page.get_by_label("We ask a question about a notification").focus()
    page.keyboard.press("Space")
    page.get_by_label("We decide on or close a notification").focus()
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Add endpoint"))

    check_page(page)
    secret = page.locator("[data-secret]").inner_text().strip()
    endpoint = Endpoint.objects.get()
    assert secret == endpoint.secret
    assert endpoint.events == ["notification.question_asked", "notification.decided"]
    receiver.secret = secret
    page.reload()
    assert page.locator("[data-secret]").count() == 0  # shown once

    press(page, page.get_by_role("button", name="Send a test event"))
    assert "Test event queued" in page.content()
    deliver_next(endpoint.pk)
    assert receiver.wait_for(1)[0].signed_correctly
    page.reload()
    check_page(page)
    row = page.locator("tbody tr").first
    assert "Test event" in row.inner_text()
    assert "Delivered" in row.inner_text()
    assert "HTTP 204" in row.inner_text()
