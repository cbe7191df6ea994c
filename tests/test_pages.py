"""The information pages: real content, valid HTML, accessible, reachable by keyboard."""

import pytest
from django.urls import reverse

from portal.accounts.models import User
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    expect_heading,
)

INFORMATION_PAGES = [
    ("pages:start", "Deal with the Care Quality Regulator online"),
    ("pages:accessibility", "Accessibility statement"),
    ("pages:privacy", "Privacy notice"),
    ("pages:cookies", "Cookies"),
    ("pages:contact", "Contact and help"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), INFORMATION_PAGES)
def test_information_page_renders_with_govuk_layout(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{heading} – Provider Portal – Care Quality Regulator</title>" in html
    assert 'class="govuk-service-navigation' in html
    assert 'href="#main-content"' in html  # skip link
    assert "govuk-phase-banner" in html
    assert "govuk-footer" in html
    # Not the GOV.UK brand: no crown logo and no GDS Transport.
    assert "govuk-logo" not in html
    assert "Crown copyright" not in html


@pytest.mark.django_db
def test_information_pages_are_publicly_cacheable_but_not_signed_in_pages(client):
    response = client.get(reverse("pages:start"))
    assert "no-store" not in response.get("Cache-Control", "")
    # The same page for someone signed in carries their name: no cache may keep it. A
    # missing header fails here (KeyError), never passes.
    client.force_login(User.objects.create_user("reader@care.example", "x" * 12))
    signed_in = client.get(reverse("pages:start"))
    directives = {part.strip() for part in signed_in["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "heading"), INFORMATION_PAGES)
def test_information_page_is_accessible_and_keyboard_operable(page, name, heading):
    page.goto(reverse(name))
    expect_heading(page, heading)
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
