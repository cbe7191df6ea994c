"""Every applicant page in a real browser: no axe violations (WCAG 2.2 A and AA), reflow at
320 px; and one page answered with the keyboard alone."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.applications.definitions import CATALOGUE
from portal.applications.models import Notice
from portal.applications.services import assessment, decisions, drafts, submission
from tests.applications import helpers
from tests.support.browser import assert_accessible, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def _visit(page, live_server, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response is not None
    assert response.status == 200, path
    assert_accessible(page)


def test_every_applicant_page_is_accessible(page, live_server):
    application, applicant, manager = helpers.new_provider_with_signed_manager()
    part = application.parts.get()
    draft = drafts.start_application(user=applicant, definition=CATALOGUE.latest("new-provider"))
    helpers.complete(draft, {"entity_type": "partnership", "partner_count": "2"})

    sign_in_with_session(page, live_server, applicant)
    for path in (
        "/applications/",
        "/applications/new/",
        "/applications/new/new-provider/",
        f"/applications/{draft.pk}/",
        f"/applications/{draft.pk}/legal-entity/",
        f"/applications/{draft.pk}/partnership/",
        f"/applications/{draft.pk}/location-1/",
        f"/applications/{draft.pk}/location-1-services/",
        f"/applications/{draft.pk}/check/",
        f"/applications/{draft.pk}/delete/",
        f"/applications/{application.pk}/people/",
        f"/applications/{application.pk}/people/{part.pk}/send-back/",
        f"/applications/{application.pk}/check/",
    ):
        _visit(page, live_server, path)
    # An error page: the location page sent empty.
    page.goto(f"{live_server.url}/applications/{draft.pk}/location-1/")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    staff = helpers.send_and_validate(application, applicant)
    question = assessment.request_information(
        application_id=application.pk, staff=staff, body="Send the fire risk assessment."
    )
    assessment.record_appointment(
        application_id=application.pk,
        staff=staff,
        kind="interview",
        on=timezone.localdate() + dt.timedelta(days=3),
        with_whom="Nora Nominated",
    )
    for path in (
        f"/applications/{application.pk}/sent/",
        f"/applications/{application.pk}/",
        f"/applications/{application.pk}/requests/{question.pk}/",
        f"/applications/{application.pk}/withdraw/",
    ):
        _visit(page, live_server, path)
    submission.respond_to_request(
        application_id=application.pk, request_id=question.pk, user=applicant, body="Sent."
    )
    helpers.serve_conditions_proposal(application, staff)
    notice = Notice.objects.get(application=application)
    for path in (
        f"/applications/{application.pk}/",
        f"/applications/{application.pk}/representations/",
        f"/applications/{application.pk}/notices/{notice.pk}/",
        f"/applications/{application.pk}/withdraw/",
    ):
        _visit(page, live_server, path)

    sign_in_with_session(page, live_server, manager)
    for path in (
        f"/applications/parts/{part.pk}/",
        f"/applications/parts/{part.pk}/sign/",
    ):
        _visit(page, live_server, path)
    sign_in_with_session(page, live_server, helpers.user(email="wrong.person@care.example"))
    response = page.goto(f"{live_server.url}/applications/parts/{part.pk}/")
    assert response is not None
    assert response.status == 403
    assert_accessible(page)


def test_representations_made_with_the_keyboard_alone(page, live_server):
    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    staff = helpers.send_and_validate(application, applicant)
    decisions.serve_proposal(
        application_id=application.pk, staff=staff, kind="refuse", reasons="Not fit."
    )
    sign_in_with_session(page, live_server, applicant)
    page.goto(f"{live_server.url}/applications/{application.pk}/representations/")
    radio = page.get_by_label("Yes, I want to make representations")
    for _ in range(40):
        page.keyboard.press("Tab")
        if radio.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Space")
    assert radio.is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("We have recruited two night staff since the visit.")
    page.keyboard.press("Tab")  # the other radio is skipped: a group is one tab stop
    button = page.get_by_role("button", name="Send")
    for _ in range(5):
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/applications/{application.pk}/")
    assert "Your representations have been sent." in page.content()
    assert_accessible(page)
