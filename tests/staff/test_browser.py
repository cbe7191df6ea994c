"""In a real browser, by keyboard only, with axe on every page: an administrator invites a
registration assessor and a team leader; each accepts the emailed link, chooses a password,
sets up an authenticator app and lands on a staff home that offers what their role holds."""

import re

import pytest

from portal.staff.models import StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole
from tests import factories as f
from tests.accounts.conftest import deliver_pending, totp_now
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    authenticator_key,
    sign_in_with_session,
)

PASSWORD = "marble kettle orchard 7"


def check(page, heading: str) -> None:
    errors = page.locator(".govuk-error-summary").all_inner_texts()
    assert page.locator("h1").first.inner_text().strip().startswith(heading), (page.url, errors)
    assert_accessible(page)


def press_link(page, name: str, role: str = "link") -> None:
    page.get_by_role(role, name=name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def tick(page, label: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


def submit(page, button: str) -> None:
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def invite(page, email: str, name: str, role: str, team: str) -> None:
    press_link(page, "Invite a member of staff", role="button")  # a link styled as one
    check(page, "Invite a member of staff")
    assert_keyboard_reaches_every_link(page)
    type_into(page, "Email address", email)
    type_into(page, "Full name", name)
    tick(page, role)
    tick(page, team)
    submit(page, "Send invitation")
    check(page, "Staff and teams")
    assert page.get_by_text(f"Invitation sent to {email}").is_visible()


def accept(page, mail, email: str) -> None:
    deliver_pending()
    body = mail.wait_for(email)[-1].body
    link = re.search(r"/staff-invitation/[^\s/]+/", body)
    assert link, body
    page.context.clear_cookies()
    page.goto(link.group(0))
    check(page, "Join the regulator")
    type_into(page, "Create a password", PASSWORD)
    submit(page, "Continue")
    check(page, "Set up an authenticator app")
    key = authenticator_key(page)
    type_into(page, "Enter the 6-digit code from your authenticator app", totp_now(key))
    submit(page, "Continue")
    check(page, "Save your recovery codes")
    submit(page, "I have saved my recovery codes")
    check(page, "Home")
    assert_keyboard_reaches_every_link(page)


def navigation(page) -> list[str]:
    return [
        text.strip() for text in page.locator(".govuk-service-navigation__item").all_inner_texts()
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_invites_an_assessor_and_a_team_leader(page, live_server, mail):
    Team.objects.create(
        name="London adult social care", region=Region.LONDON, sector=Sector.ADULT_SOCIAL_CARE
    )
    Team.objects.create(name="London hospitals", region=Region.LONDON, sector=Sector.HOSPITALS)
    administrator = f.staff_member(
        "ada.admin@regulator.example", roles=[StaffRole.ADMINISTRATOR], full_name="Ada Admin"
    )
    sign_in_with_session(page, live_server, administrator)
    page.goto("/home/")
    check(page, "Home")
    press_link(page, "Staff and teams")
    check(page, "Staff and teams")
    assert_keyboard_reaches_every_link(page)

    invite(
        page,
        "sam.assessor@regulator.example",
        "Sam Assessor",
        "Registration assessor",
        "London adult social care",
    )
    invite(page, "tess.leader@regulator.example", "Tess Leader", "Team leader", "London hospitals")
    assert page.get_by_role("heading", name="Invitations waiting to be accepted").is_visible()

    accept(page, mail, "sam.assessor@regulator.example")
    assessor_sections = navigation(page)
    assert "Applications" in assessor_sections
    assert "Staff" not in assessor_sections

    accept(page, mail, "tess.leader@regulator.example")
    leader_sections = navigation(page)
    assert {"Inbox", "Applications", "Second factor requests"} <= set(leader_sections)
    assert "Staff" not in leader_sections

    members = {m.user.email: m for m in StaffMember.objects.select_related("user")}
    assert members["sam.assessor@regulator.example"].roles == [StaffRole.REGISTRATION_ASSESSOR]
    assert [t.name for t in members["tess.leader@regulator.example"].teams.all()] == [
        "London hospitals"
    ]

    sign_in_with_session(page, live_server, administrator)
    page.goto("/regulator/staff/")
    check(page, "Staff and teams")
    assert page.get_by_text("Sam Assessor").is_visible()
    assert not page.get_by_role("heading", name="Invitations waiting to be accepted").is_visible()
