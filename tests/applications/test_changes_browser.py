"""Two more journeys of issue 14 in a real browser, axe on every page: a provider removes a
location and the manager registered only there is cancelled with a notice of their own; and
a notice of proposal, the applicant's representations, and the notice of decision."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from portal.applications.definitions import CATALOGUE
from portal.applications.models import Application, Notice, NoticeKind
from portal.applications.stages import Stage
from portal.emails.models import OutboxMessage
from portal.forms.engine import EngineContext
from portal.notifications.samples import valid_answer
from portal.register.models import RoleAssignment, RoleType
from tests.applications import helpers
from tests.applications import keyboard as k
from tests.applications.register_effects_helpers import (
    named_location,
    person,
    process_all_changes,
    registered,
)
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICATION_PAGE = re.compile(r"/applications/[0-9a-f-]{36}/(?P<key>[a-z0-9-]+)/$")
CHECK = re.compile(r"/check/$")


def _staff_action(page: Any, title: str, button: str, fields: dict[str, str]) -> None:
    k.activate_and_wait(page, title, link=True)
    assert_accessible(page)
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.first.get_attribute("type") == "radio":
            k.choose_radio(page, name, value)
        else:
            k.type_text(page, field.first, value)
    k.activate_and_wait(page, button)
    assert page.locator(".govuk-notification-banner").count(), page.locator("main").inner_text()
    assert_accessible(page)


def test_removing_a_location_cancels_the_manager_registered_only_there(page, live_server):
    provider = registered().provider
    mill = named_location(provider, "Mill House")
    nominated = helpers.user(person=person("nora@example.com"))
    process_all_changes()
    definition = CATALOGUE.latest("remove-location")

    sign_in_with_session(page, live_server, nominated)
    page.goto(reverse("applications:start", args=["remove-location"]))
    assert_accessible(page)
    k.choose_labelled(page, mill.name)
    k.activate_and_wait(page, "Start application")
    context = EngineContext()
    answers = {q.key: valid_answer(q, context) for q in definition.questions()}
    answers["stop_date"] = helpers.future(30)

    def each_page(current: Any) -> None:
        assert_accessible(current)

    k.walk_pages(page, definition, answers, APPLICATION_PAGE, until=CHECK, on_page=each_page)
    assert_accessible(page)
    k.tick(page, page.locator("input[name=confirm]"))
    k.activate_and_wait(page, "Sign and send application")
    application = Application.objects.get(type_slug="remove-location")
    assert application.stage == Stage.SUBMITTED

    staff = helpers.assessor()
    sign_in_with_session(page, live_server, staff)
    page.goto(reverse("applications_staff:detail", args=[application.pk]))
    assert_accessible(page)
    _staff_action(page, "Validate the application", "Validate", {})
    _staff_action(
        page,
        "Grant the application",
        "Grant and serve the notice of decision",
        {"reasons": "Agreed."},
    )
    _staff_action(page, "Put the decision into effect on the register", "Change the register", {})

    # Mo managed only Mill House: her registration is cancelled, with a notice of her own;
    # Bea also manages Brook Lodge and stays.
    live_managers = set(
        RoleAssignment.objects.live()
        .filter(provider=provider, role=RoleType.REGISTERED_MANAGER)
        .values_list("person__email", flat=True)
    )
    assert live_managers == {"bea@example.com"}
    notice = Notice.objects.get(application=application, kind=NoticeKind.MANAGER_CANCELLED)
    assert "Mo Manager" in notice.addressed_to
    page.reload()
    main = page.locator("main").inner_text()
    assert "Notice of decision: manager's registration cancelled" in main
    assert_accessible(page)
    email = OutboxMessage.objects.get(to="mo@example.com")
    assert application.reference in email.body
    assert "Mill House" in email.body


def test_a_notice_of_proposal_representations_and_the_notice_of_decision(
    page, live_server, tmp_path: Path
):
    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    staff = helpers.send_and_validate(application, applicant)

    sign_in_with_session(page, live_server, staff)
    page.goto(reverse("applications_staff:detail", args=[application.pk]))
    assert_accessible(page)
    _staff_action(
        page,
        "Serve a notice of proposal",
        "Serve the notice of proposal",
        {
            "kind": "conditions",
            "reasons": "Night staffing is thin for 20 places.",
            "conditions": "No more than 12 people at Riverside House 2.",
        },
    )

    sign_in_with_session(page, live_server, applicant)
    page.goto(reverse("applications:detail", args=[application.pk]))
    assert_accessible(page)
    assert "Notice of proposal" in page.locator("main").inner_text()
    k.activate_and_wait(page, "Respond to the notice of proposal")
    assert_accessible(page)
    k.choose_radio(page, "choice", "make")
    k.type_text(page, page.locator("[name=body]"), "We have recruited two night staff.")
    k.activate_and_wait(page, "Send")
    assert "Your representations have been sent." in page.content()
    assert_accessible(page)

    sign_in_with_session(page, live_server, staff)
    page.goto(reverse("applications_staff:detail", args=[application.pk]))
    assert "We have recruited two night staff." in page.locator("main").inner_text()
    _staff_action(page, "Adopt the proposal", "Adopt and serve the notice of decision", {})
    application.refresh_from_db()
    assert application.stage == Stage.DECIDED
    assert application.conditions == "No more than 12 people at Riverside House 2."

    sign_in_with_session(page, live_server, applicant)
    page.goto(reverse("applications:detail", args=[application.pk]))
    assert_accessible(page)
    decision = Notice.objects.get(application=application, kind=NoticeKind.DECISION)
    k.activate_and_wait(page, "read the notice of decision", link=True)
    assert_accessible(page)
    assert "No more than 12 people at Riverside House 2." in page.locator("main").inner_text()
    page.goto(reverse("applications:detail", args=[application.pk]))
    with page.expect_download() as downloading:
        k.press(page, page.get_by_role("link", name="download the PDF of the notice of decision"))
    saved = tmp_path / "decision.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes() == bytes(decision.pdf)
