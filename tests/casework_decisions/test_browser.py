"""In a real browser, with axe (WCAG 2.2 A and AA, reflow at 320 px): a team leader opens the
dashboards and filters by team with the keyboard; an assessor decides an application from its
case page; a provider's list of cases; bulk triage."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.applications.models import Application
from portal.applications.stages import Stage
from portal.casework.models import CaseKind, CaseStatus, CaseUrgency
from portal.register.models import RegulatedActivity
from tests import factories as f
from tests.casework_decisions.test_handlers import _sent_application
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_leader_opens_the_dashboards_and_filters_by_team(page, live_server, world):
    north = f.make_team("North West care homes", region="North West")
    south = f.make_team("South East care homes", region="South East")
    now = timezone.now()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for team, count in ((north, 3), (south, 1)):
        for n in range(count):
            f.make_case(team=team, opened_at=now - dt.timedelta(days=n * 9 + 1), due_on=yesterday)
    f.make_case(
        team=north,
        opened_at=now - dt.timedelta(days=20),
        first_action_at=now - dt.timedelta(days=19),
        closed_at=now - dt.timedelta(days=2),
        status=CaseStatus.CLOSED,
    )
    sign_in_with_session(page, live_server, world.staff)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Dashboards", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboards"
    assert page.get_by_text("4 open cases are past their due date.").first.is_visible()
    assert page.get_by_role("img", name="Overdue cases by team and kind").is_visible()
    assert_accessible(page)

    # Keyboard only: choose the team, then the button.
    page.get_by_label("Team", exact=True).focus()
    page.keyboard.press("ArrowDown")  # All teams -> the first team (North West)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**team=*")
    assert page.get_by_text("Figures for North West care homes").is_visible()
    assert page.get_by_text("3 open cases are past their due date.").first.is_visible()
    table = page.get_by_role("table", name="Overdue cases by team and kind: the data")
    assert "South East" not in table.inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download this data as CSV (Overdue cases by team and kind)"
        ).click()
    name = download.value.suggested_filename
    assert name.startswith(f"overdue-team-{north.pk}-12-weeks-"), name


def test_an_assessor_validates_then_grants_an_application_from_its_case(page, live_server, world):
    # A transactional test before this one emptied the activities the migrations load.
    RegulatedActivity.objects.get_or_create(
        code="RA1",
        defaults={"name": "Accommodation for persons who require nursing or personal care"},
    )
    application = _sent_application()
    case = f.make_case(application, kind=CaseKind.APPLICATION, title="Cancel a registration")
    sign_in_with_session(page, live_server, world.staff)
    page.goto(f"{live_server.url}/regulator/cases/{case.pk}/decision/")
    assert_accessible(page)
    page.get_by_role("link", name="Validate the application").click()
    assert_accessible(page)
    page.get_by_role("button", name="Validate the application").click()
    assert page.get_by_text("Application validated: the assessment has started").is_visible()
    # An empty proposal is refused first, with its error summary (axe-checked as well).
    page.goto(f"{live_server.url}/regulator/cases/{case.pk}/decision/?action=serve_proposal")
    page.get_by_role("button", name="Serve a notice of proposal").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/regulator/cases/{case.pk}/decision/?action=grant")
    page.get_by_label("Notes for the notice of decision (optional)").fill(
        "Meets every requirement."
    )
    page.get_by_role("button", name="Grant the application").click()
    assert page.get_by_text("Granted: the notice of decision is served").is_visible()
    assert_accessible(page)
    assert Application.objects.get(pk=application.pk).stage == Stage.DECIDED


def test_the_providers_cases_and_bulk_triage_pages_are_accessible(page, live_server, world):
    notification = f.submit("statement-of-purpose", world.manager, world.home)
    f.make_case(notification, urgency=CaseUrgency.ROUTINE, title="Statement of purpose")
    f.make_case(
        provider=world.provider,
        location=world.home,
        reference="APP-WAIT",
        title="Add a location",
        status=CaseStatus.WAITING_FOR_PROVIDER,
        clock_stopped_on=timezone.localdate(),
        due_on=timezone.localdate() + dt.timedelta(days=40),
    )
    sign_in_with_session(page, live_server, world.nominated)
    page.goto(f"{live_server.url}/providers/{world.provider.pk}/cases/")
    assert page.get_by_text("the clock is stopped").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=notification.reference).click()
    assert page.get_by_text("Where we are:").is_visible()
    assert_accessible(page)

    sign_in_with_session(page, live_server, world.staff)
    page.goto(f"{live_server.url}/regulator/cases/triage/")
    assert_accessible(page)
    page.get_by_role("button", name="Mark selected as reviewed").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label(f"{notification.reference}: Statement of purpose").check()
    page.get_by_role("button", name="Mark selected as reviewed").click()
    assert page.get_by_text("1 marked as reviewed").is_visible()
    assert_accessible(page)
