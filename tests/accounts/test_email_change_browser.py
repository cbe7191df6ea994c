"""The pages of a sign-in address change in a real browser, with axe (WCAG 2.2 AA) and
keyboard checks: the owner's confirm page (with an error, and done) and the old address's
stop page (before and after stopping)."""

from typing import Any

import pytest
from django.urls import reverse

from portal.accounts.models import EmailChange, EmailChangeStatus, User
from portal.accounts.services import email_change
from portal.emails.models import OutboxMessage
from tests.accounts.conftest import code_in, make_account
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    expect_heading,
    sign_in_with_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "jane.elsewhere@example.com"


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


def _body_to(address: str) -> str:
    return str(OutboxMessage.objects.filter(to=address).latest("created_at").body)


def test_the_owner_confirms_and_the_old_address_can_stop(page: Any, live_server: Any) -> None:
    account = make_account()
    email_change.ask_owner_to_confirm(
        user=account.user, new_email=NEW, requested_by=None, reason="Change of contact details"
    )
    code = code_in(_body_to(NEW))
    sign_in_with_session(page, live_server, account.user)
    page.goto(reverse("accounts:email_change_confirm"))
    expect_heading(page, "Confirm your new email address")
    _check(page)
    page.get_by_label("Enter the 6-digit code").fill("12345")
    page.get_by_role("button", name="Confirm new email address").click()
    assert page.title().startswith("Error: ")
    _check(page)
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Confirm new email address").click()
    assert f"You now sign in with {NEW}" in page.locator("main").inner_text()
    assert User.objects.get(pk=account.user.pk).email == NEW

    # A second change, stopped from the (now) old address, without signing in.
    email_change.ask_owner_to_confirm(
        user=User.objects.get(pk=account.user.pk),
        new_email="someone.else@example.com",
        requested_by=None,
        reason="Change of contact details",
    )
    stop_path = "/" + _body_to(NEW).split("/email-address/stop/")[1].split()[0]
    page.context.clear_cookies()
    page.goto("/email-address/stop/" + stop_path.lstrip("/"))
    expect_heading(page, "Stop the change to your sign-in email address")
    _check(page)
    page.get_by_role("button", name="Stop this change").click()
    expect_heading(page, "You stopped the change")
    _check(page)
    assert EmailChange.objects.filter(status=EmailChangeStatus.STOPPED).count() == 1
