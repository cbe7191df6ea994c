"""Issue 5, end to end in a real browser: a nominated individual invites an office
administrator, who has no account, to draft and submit notifications for one location. The
invitee opens the link from the email (read from the loopback SMTP server), creates an account
through the real sign-up pages (emailed code, password, authenticator, recovery codes) and then
sees only that location: on the providers page, when starting a notification, and the other
location's pages answer 404. axe (WCAG 2.2 AA) runs on every key page."""

from typing import Any

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.notifications.models import NotificationDraft
from portal.organisations.models import Invitation, InvitationStatus, Membership
from tests.accounts.conftest import code_in, deliver_pending
from tests.organisations.conftest import build_world
from tests.organisations.helpers import invitation_path, invite_in_the_browser
from tests.support.browser import (
    assert_accessible,
    expect_heading,
    finish_sign_up,
    sign_in_with_session,
)

INVITEE = "olive.office@sunrise.example"
PASSWORD = "saffron kettle lagoon marble"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def _status(page: Any, path: str) -> int:
    response = page.goto(path)
    assert response is not None, path
    return int(response.status)


def test_invitee_without_an_account_signs_up_and_sees_only_their_location(
    page: Any, live_server: Any, mail: Any
) -> None:
    world = build_world()
    assert not User.objects.filter(email=INVITEE).exists()

    # 1. The nominated individual invites the office administrator for Sunrise House only.
    sign_in_with_session(page, live_server, world.users["ni"])
    page.goto(reverse("organisations:team", kwargs={"provider_id": world.p.pk}))
    page.get_by_role("button", name="Invite someone").click()
    invite_in_the_browser(page, INVITEE, assert_accessible)

    # 2. The queued invitation is delivered; the invitee opens its link, signed out.
    deliver_pending()
    invitation_mail = mail.wait_for(INVITEE)[-1]
    assert "Sunrise Care Ltd" in invitation_mail.body
    path = invitation_path(invitation_mail.body)
    page.context.clear_cookies()
    page.goto(path)
    expect_heading(page, "You have been invited to act for Sunrise Care Ltd")
    invited = _main(page)
    assert "Draft and submit notifications" in invited
    assert "Sunrise House" in invited
    assert "Sunset Lodge" not in invited
    assert_accessible(page)
    page.get_by_role("button", name="Create an account").click()

    # 3. The real sign-up journey: email, code from the SMTP server, password, authenticator.
    expect_heading(page, "What is your email address?")
    assert_accessible(page)
    page.get_by_label("What is your email address?").fill(INVITEE)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your email")
    assert_accessible(page)
    deliver_pending()
    code = code_in(mail.wait_for(INVITEE, count=2)[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()
    # Not on the register, so the invitee gives their name with the password.
    expect_heading(page, "Create your account")
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Olive Office")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    finish_sign_up(page)
    done = _main(page)
    assert INVITEE in done
    assert "Given access by your organisation" in done
    assert "Sunrise Care Ltd" in done

    # The invitation was taken up by the new account, for that one location only.
    user = User.objects.get(email=INVITEE)
    assert user.person is None
    assert user.full_name == "Olive Office"
    assert Invitation.objects.get(email=INVITEE).status == InvitationStatus.ACCEPTED
    membership = Membership.objects.get(user=user)
    assert membership.provider_id == world.p.pk
    assert not membership.whole_provider
    assert [loc.pk for loc in membership.locations.all()] == [world.a.pk]

    # 4. "Your providers" shows Sunrise House and nothing of Sunset Lodge.
    page.get_by_role("link", name="See what you can do for each provider").click()
    expect_heading(page, "Your providers")
    assert_accessible(page)
    providers = _main(page)
    assert "Sunrise Care Ltd" in providers
    assert "Draft and submit notifications" in providers
    assert "Sunrise House" in providers
    assert "Sunset Lodge" not in providers
    assert "Other Care Ltd" not in providers

    # A member without team rights may not see the team page (403: they know the provider).
    assert _status(page, reverse("organisations:team", args=[world.p.pk])) == 403
    assert_accessible(page)

    # 5. Starting a notification offers only Sunrise House (not the provider as a whole).
    page.goto(reverse("notifications:history"))
    assert_accessible(page)
    assert "Sunset Lodge" not in _main(page)
    page.get_by_role("button", name="Send a notification").click()
    expect_heading(page, "Which location is this notification about?")
    assert_accessible(page)
    assert page.get_by_label("Sunrise House").count() == 1
    assert page.get_by_label("Sunset Lodge").count() == 0
    assert page.get_by_label("The provider as a whole").count() == 0
    assert page.locator("input[name=location]").count() == 1
    page.get_by_label("Sunrise House").check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "What do you need to tell us about?")
    assert_accessible(page)

    assert page.locator("input[name=notification_type]").count() > 0
    slug = str(page.locator("input[name=notification_type]").first.get_attribute("value"))
    start_a = reverse("notifications:start", args=[world.p.pk, world.a.pk, slug])
    assert _status(page, start_a) == 200
    assert_accessible(page)

    # 6. Sunset Lodge's pages (and the provider as a whole, and another provider) answer 404.
    for path in [
        reverse("notifications:choose_type", args=[world.p.pk, world.b.pk]),
        reverse("notifications:start", args=[world.p.pk, world.b.pk, slug]),
        reverse("notifications:choose_type", args=[world.p.pk, "provider"]),
        reverse("notifications:choose_location", args=[world.q.pk]),
    ]:
        assert _status(page, path) == 404, path
    assert_accessible(page)
    # A crafted POST choosing Sunset Lodge is refused too, and starts nothing.
    page.goto(reverse("notifications:choose_location", args=[world.p.pk]))
    page.evaluate(
        "(id) => { const r = document.querySelector('input[name=location]'); r.value = id; r.checked = true; }",
        world.b.pk,
    )
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert not NotificationDraft.objects.filter(created_by=user).exists()
