"""The queue and the case page in a real browser: no axe violations (WCAG 2.2 A and AA) on
every casework page, and "get next", take and an internal note with the keyboard alone."""

import pytest

from portal.casework.models import Case, CaseNote, CaseUrgency
from tests.casework.conftest import make_world, open_case
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def tab_to(page, locator, tabs: int = 80) -> None:
    for _ in range(tabs):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("the keyboard never reached it")


def test_every_casework_page_is_accessible(page, live_server):
    world = make_world()
    cases = [open_case(world, urgency=level) for level in CaseUrgency.values]
    sign_in_with_session(page, live_server, world.leader)
    for path in (
        "/regulator/cases/",
        "/regulator/cases/team/",
        "/regulator/cases/unassigned/",
        "/regulator/cases/all/",
        "/regulator/cases/all/?due=overdue&urgency=9",
        f"/regulator/cases/{cases[0].pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)
    # An error: a note sent empty.
    page.get_by_role("button", name="Add note").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_get_next_take_and_note_with_the_keyboard_alone(page, live_server):
    world = make_world()
    urgent = open_case(world, urgency=CaseUrgency.URGENT)
    other = open_case(world, urgency=CaseUrgency.ROUTINE)
    sign_in_with_session(page, live_server, world.inspector)
    page.goto(f"{live_server.url}/regulator/cases/")
    tab_to(page, page.locator("#get-next"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/regulator/cases/{urgent.pk}/")
    assert Case.objects.get(pk=urgent.pk).assignee == world.inspector
    note = page.get_by_label("Add an internal note")
    tab_to(page, note)
    page.keyboard.type("Rang the manager; they will send the rota.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your note has been added." in page.content()
    assert CaseNote.objects.get().body == "Rang the manager; they will send the rota."
    page.goto(f"{live_server.url}/regulator/cases/{other.pk}/")
    tab_to(page, page.locator("#take"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You have taken this case." in page.content()
    assert_accessible(page)
