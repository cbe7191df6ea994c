"""Issue 15's "Done when" as one journey in a real browser, axe (WCAG 2.2 AA and reflow) on
every page visited: an administrator invites an assessor and a team leader, who accept
(password, authenticator, recovery codes); the team leader reassigns cases in bulk; the
assessor, by keyboard alone, uses "get next", takes an application to a decision and a
notification to closed; the dashboard (after the worker's refresh) shows them; the provider
sees each case's stage and expected date."""

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.applications.models import Application
from portal.applications.stages import Stage
from portal.casework.dashboards import snapshots
from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.notifications.models import Notification, NotificationStatus
from portal.register.models import RegulatedActivity
from tests import factories as f
from tests.casework.conftest import make_world
from tests.casework.test_browser import tab_to
from tests.casework_decisions.test_handlers import _sent_application
from tests.staff.test_browser import accept, check, submit, tick, type_into
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM = "North West adult social care"


def invite(page, email: str, name: str, roles: list[str]) -> None:
    page.goto("/regulator/staff/invite/")
    check(page, "Invite a member of staff")
    type_into(page, "Email address", email)
    type_into(page, "Full name", name)
    for role in roles:
        tick(page, role)
    tick(page, TEAM)
    submit(page, "Send invitation")
    check(page, "Staff and teams")
    assert page.get_by_text(f"Invitation sent to {email}").is_visible()


def press(page, locator) -> None:
    """Tab to it and press Enter: a link or a button, by keyboard."""
    tab_to(page, locator, tabs=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def test_invite_assign_get_next_decide_and_see_it_on_the_dashboard_and_for_the_provider(
    page, live_server, mail
):
    world = make_world()
    # A transactional test before this one may have emptied the activities migrations load.
    RegulatedActivity.objects.get_or_create(
        code="RA1",
        defaults={"name": "Accommodation for persons who require nursing or personal care"},
    )
    application = _sent_application()
    application_case = f.make_case(
        application, kind=CaseKind.APPLICATION, team=world.care, urgency=CaseUrgency.URGENT
    )
    Case.objects.filter(pk=application_case.pk).update(queue_rank=1)
    death = f.submit("death", world.manager, world.home)
    absence = f.submit("death", world.manager, world.home)
    administrator = f.staff_member(
        "ada.admin@regulator.example", roles=["administrator"], full_name="Ada Admin"
    )
    nominated = f.nominated_individual(world.provider, given="Nina")

    # An administrator invites an assessor (who also decides notifications) and a team leader.
    sign_in_with_session(page, live_server, administrator)
    invite(
        page,
        "sam.assessor@regulator.example",
        "Sam Assessor",
        ["Registration assessor", "Inspector"],
    )
    invite(page, "tess.leader@regulator.example", "Tess Leader", ["Team leader"])
    accept(page, mail, "sam.assessor@regulator.example")
    accept(page, mail, "tess.leader@regulator.example")
    sam = User.objects.get(email="sam.assessor@regulator.example")

    # The team leader (signed in by accepting) reassigns both notifications to Sam at once.
    page.goto("/regulator/cases/unassigned/")
    check(page, "Cases: Unassigned")
    for notification in (death, absence):
        page.get_by_label(f"Select {notification.reference}", exact=False).check()
    page.get_by_label("Give to", exact=True).select_option(
        label="Sam Assessor (sam.assessor@regulator.example)"
    )
    submit(page, "Reassign selected cases")
    assert page.get_by_text("2 cases reassigned.").is_visible()
    assert_accessible(page)
    assert Case.objects.filter(assignee=sam, kind=CaseKind.NOTIFICATION).count() == 2

    # Sam, by keyboard alone: "get next" gives the urgent application; validate, then grant.
    sign_in_with_session(page, live_server, sam)
    page.goto("/regulator/cases/")
    assert_accessible(page)
    press(page, page.locator("#get-next"))
    assert page.url.endswith(f"/regulator/cases/{application_case.pk}/")
    press(page, page.get_by_role("link", name=f"Decide or act on {application_case.reference}"))
    press(page, page.get_by_role("link", name="Validate the application"))
    press(page, page.get_by_role("button", name="Validate the application"))
    assert page.get_by_text("Application validated: the assessment has started").is_visible()
    press(page, page.get_by_role("link", name="Grant the application"))
    tab_to(page, page.get_by_label("Notes for the notice of decision (optional)"))
    page.keyboard.type("Meets every requirement.")
    press(page, page.get_by_role("button", name="Grant the application"))
    assert page.get_by_text("Granted: the notice of decision is served").is_visible()
    assert Application.objects.get(pk=application.pk).stage == Stage.DECIDED

    # Then one of the notifications the team leader gave them, to closed.
    page.goto("/regulator/cases/")
    press(page, page.get_by_role("link", name=death.reference))
    press(page, page.get_by_role("link", name=f"Decide or act on {death.reference}"))
    press(page, page.get_by_role("link", name="Close", exact=True))
    tab_to(page, page.get_by_label("Note for the record (optional)"))
    page.keyboard.type("Nothing more is needed.")
    press(page, page.get_by_role("button", name="Close", exact=True))
    assert Notification.objects.get(pk=death.pk).status == NotificationStatus.CLOSED
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert set(closed.values_list("reference", flat=True)) == {
        application_case.reference,
        death.reference,
    }

    # The worker refreshes the dashboard's figures; the team leader sees the two completions.
    assert snapshots.refresh()
    sign_in_with_session(page, live_server, User.objects.get(email="tess.leader@regulator.example"))
    page.goto("/regulator/dashboards/")
    check(page, "Dashboards")
    assert page.get_by_text("2 were completed", exact=False).first.is_visible()

    # The provider sees each case's stage and the date we expect to finish.
    sign_in_with_session(page, live_server, nominated)
    page.goto(f"/providers/{world.provider.pk}/cases/")
    assert_accessible(page)
    rows = {
        row.locator("th").inner_text().strip(): row.inner_text()
        for row in page.locator("tbody tr").all()
    }
    assert "Decided" in rows[death.reference]
    assert "Being looked at" in rows[absence.reference]
    open_case = Case.objects.get(subject_id=str(absence.pk), kind=CaseKind.NOTIFICATION)
    assert open_case.due_on is not None
    assert open_case.due_on >= timezone.localdate()
    assert f"{open_case.due_on.day} " in rows[absence.reference]
