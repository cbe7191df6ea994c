"""The API key pages and the API documentation in a real browser: axe (WCAG 2.2 AA), reflow
and keyboard checks on every page of making, seeing and revoking a key."""

import pytest
from django.urls import reverse

from portal.api.models import ApiKey
from tests.api.conftest import ApiWorld, browser_signed_in_recently, create_key_on_the_form
from tests.support.browser import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_makes_sees_and_revokes_a_key(page, live_server, api_world: ApiWorld):
    browser_signed_in_recently(page, live_server, api_world.nominated)
    page.goto(live_server.url + reverse("organisations:team", args=[api_world.provider.pk]))
    page.get_by_role("link", name="API keys for care-record software").click()
    check_page(page)
    page.get_by_role("button", name="Create an API key").click()
    check_page(page)
    page.get_by_role("button", name="Create key").click()  # nothing chosen
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page)
    secret = create_key_on_the_form(page, check_page)
    assert secret.startswith("ppk_")
    assert ApiKey.objects.get().location_ids == [api_world.location.pk]
    page.get_by_role("link", name="Back to API keys").click()
    check_page(page)
    assert secret not in page.content()
    page.get_by_role("link", name="Revoke Nourish").click()
    check_page(page)
    page.get_by_role("button", name="Revoke key").click()
    check_page(page)
    assert "Revoked" in page.content()


def test_the_documentation_page(page, live_server):
    page.goto(live_server.url + "/api/v1/docs")
    check_page(page)
    assert "POST /api/v1/providers/{provider_id}/notifications" in page.content()
