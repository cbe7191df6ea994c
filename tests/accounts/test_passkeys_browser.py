"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain)
stands in for a phone or security key; the page's script and SimpleWebAuthn do the rest."""

from typing import Any

import pytest

from portal.accounts.models import Passkey
from tests.accounts.conftest import (
    PASSWORD,
    browser_password_step,
    browser_sign_in,
    make_account,
)
from tests.support.browser import check_page


def virtual_authenticator(page: Any) -> tuple[Any, str]:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable", {"enableUI": False})
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def press(page: Any, button: str) -> None:
    """Send a form from the keyboard alone."""
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_add_a_passkey_sign_in_with_it_and_remove_it(page):
    account = make_account("passkey.browser@example.org")
    devtools, authenticator_id = virtual_authenticator(page)

    browser_sign_in(page, account)
    check_page(page, "Home")  # signing in lands on the home page
    page.get_by_role("link", name="Your account", exact=True).first.click()
    check_page(page, "Your account")
    page.get_by_role("link", name="Manage passkeys").click()
    check_page(page, "Passkeys")
    page.get_by_role("button", name="Add a passkey").click()
    check_page(page, "Add a passkey")

    # No name: the server says so, and no passkey is made on the device.
    press(page, "Create passkey")
    page.locator(".govuk-error-summary").wait_for()
    check_page(page, "Add a passkey")
    assert "Enter a name for your passkey" in page.locator(".govuk-error-summary").inner_text()
    assert (
        devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
            "credentials"
        ]
        == []
    )

    page.get_by_label("Name your passkey").fill("This laptop")
    press(page, "Create passkey")
    page.wait_for_url("**/account/passkeys/")
    check_page(page, "Passkeys")
    assert "Passkey ‘This laptop’ added" in page.locator(".govuk-notification-banner").inner_text()
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(stored["credentials"]) == 1
    assert Passkey.objects.get().name == "This laptop"

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    browser_password_step(page, account.email)
    page.wait_for_url("**/sign-in/passkey/")
    check_page(page, "Use your passkey")
    press(page, "Use your passkey")
    page.wait_for_url("**/home/")
    check_page(page, "Home")
    assert Passkey.objects.get().last_used_at is not None

    # "Confirm it is you" with the password and the passkey.
    page.goto("/account/confirm-it-is-you/?next=/account/passkeys/")
    page.get_by_role("link", name="Use your passkey instead of a code").click()
    check_page(page, "Confirm it is you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    press(page, "Continue")
    page.wait_for_url("**/account/passkeys/")

    page.get_by_role("link", name="Remove passkey This laptop").click()
    check_page(page, "Remove the passkey ‘This laptop’?")
    press(page, "Remove passkey")
    page.wait_for_url("**/account/passkeys/")
    check_page(page, "Passkeys")
    assert "You have not added a passkey." in page.content()
    assert not Passkey.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_that_cannot_use_passkeys_is_told_what_to_do(page):
    """No authenticator answers (the virtual one was taken away): the page explains and offers
    the authenticator app, and that page is accessible too."""
    account = make_account("no.passkey@example.org")
    Passkey.objects.create(
        user=account.user,
        name="Old phone",
        credential_id="AAAA",
        public_key=b"\x00",
        created_at=account.user.date_joined,
    )
    page.add_init_script("delete window.PublicKeyCredential;")
    browser_password_step(page, account.email)
    page.wait_for_url("**/sign-in/passkey/")
    press(page, "Use your passkey")
    page.locator(".govuk-error-summary").wait_for()
    check_page(page, "Use your passkey")
    assert "does not support passkeys" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("link", name="Use your authenticator app instead", exact=True).click()
    check_page(page, "Enter the 6-digit code from your authenticator app")
