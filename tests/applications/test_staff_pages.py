"""The registration assessor's pages: list (filters, pages), an application's page, and a
form for each action - bad input, replays and refusals answered on the page."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.applications.models import Application, ApplicationMessage, Appointment
from portal.applications.services import submission
from portal.applications.stages import Stage
from portal.register.models import Provider, RoleType
from portal.workflow.models import StatusChange
from tests.applications import helpers

pytestmark = pytest.mark.django_db


def sent_new_provider() -> tuple[Application, Any]:
    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    helpers.send(application, applicant)
    application.refresh_from_db()
    return application, applicant


def staff_client() -> tuple[Client, Any]:
    staff = helpers.assessor()
    return helpers.signed_in(staff), staff


def action_url(application: Application, slug: str) -> str:
    return reverse("applications_staff:action", args=[application.pk, slug])


def test_the_list_shows_sent_applications_and_filters_them():
    application, _ = sent_new_provider()
    cancellation, _signer = helpers.cancel_provider_application()
    client, _staff = staff_client()
    page = client.get(reverse("applications_staff:list")).content.decode()
    assert application.reference in page
    assert cancellation.reference not in page  # a draft is the applicant's own
    assert "Validation by" in page
    by_stage = client.get(reverse("applications_staff:list"), {"stage": "in_assessment"})
    assert application.reference not in by_stage.content.decode()
    by_reference = client.get(reverse("applications_staff:list"), {"q": application.reference})
    assert application.reference in by_reference.content.decode()
    mine = client.get(reverse("applications_staff:list"), {"mine": "on"}).content.decode()
    assert application.reference not in mine  # nobody assesses it yet
    for hostile in ("<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "x" * 101):
        response = client.get(reverse("applications_staff:list"), {"q": hostile})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    too_long = client.get(reverse("applications_staff:list"), {"q": "x" * 101}).content.decode()
    assert "100 characters or fewer" in too_long
    wrong = client.get(reverse("applications_staff:list"), {"stage": "nonsense"}).content.decode()
    assert "Select a stage from the list" in wrong
    for page_number in ("abc", "-1", "99999999999", "2"):
        assert (
            client.get(reverse("applications_staff:list"), {"page": page_number}).status_code == 200
        )


def test_the_list_takes_a_fixed_number_of_queries():
    for _ in range(3):
        sent_new_provider_quick()
    client, _ = staff_client()
    client.get(reverse("applications_staff:list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applications_staff:list")).status_code == 200
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]


def sent_new_provider_quick() -> Application:
    application, applicant = helpers.cancel_provider_application()
    helpers.send(application, applicant)
    return application


def test_only_regulator_staff_reach_the_pages(client):
    application, applicant = sent_new_provider()
    urls = [
        reverse("applications_staff:list"),
        reverse("applications_staff:detail", args=[application.pk]),
        action_url(application, "validate"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # sign in first
    outsider = helpers.signed_in(applicant)
    for url in urls:
        assert outsider.get(url).status_code in (403, 404)
    assert outsider.post(action_url(application, "validate")).status_code in (403, 404)
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_unknown_actions_and_applications_are_not_found():
    application, _ = sent_new_provider()
    client, _ = staff_client()
    assert client.get(action_url(application, "delete-everything")).status_code == 404
    missing = reverse("applications_staff:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404


def test_an_assessor_validates_asks_and_grants_and_the_register_follows():
    application, applicant = sent_new_provider()
    client, _staff = staff_client()
    detail = client.get(reverse("applications_staff:detail", args=[application.pk]))
    html = detail.content.decode()
    assert "Validate the application" in html
    assert "Return the application" in html
    assert "Validate by" in html
    assert "Answers" in html
    response = client.post(action_url(application, "validate"))
    assert response.status_code == 302
    # The same press again: refused with the reason, nothing changes twice.
    replay = client.post(action_url(application, "validate"))
    assert replay.status_code == 409
    assert "so you cannot do that now" in replay.content.decode()
    assert (
        StatusChange.objects.filter(subject_id=str(application.pk), action="validate").count() == 1
    )

    empty = client.post(action_url(application, "request-information"), {"body": "  "})
    assert "Enter what information you need" in empty.content.decode()
    past = timezone.localdate() - dt.timedelta(days=3)
    late = client.post(
        action_url(application, "request-information"),
        {
            "body": "Send your staffing plan",
            "respond_by-day": past.day,
            "respond_by-month": past.month,
            "respond_by-year": past.year,
        },
    )
    assert late.status_code == 200
    assert "future" in late.content.decode()
    asked = client.post(
        action_url(application, "request-information"),
        {"body": "Send your staffing plan <b>now</b>"},
    )
    assert asked.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.AWAITING_APPLICANT
    question = ApplicationMessage.objects.get(application=application, kind="information_request")
    submission.respond_to_request(
        application_id=application.pk, request_id=question.pk, user=applicant, body="Attached."
    )
    visit_day = timezone.localdate() + dt.timedelta(days=5)
    bad_date = client.post(
        action_url(application, "record-appointment"),
        {
            "kind": "site_visit",
            "on-day": "31",
            "on-month": "2",
            "on-year": "2027",
            "with_whom": "NI",
        },
    )
    assert "real date" in bad_date.content.decode()
    recorded = client.post(
        action_url(application, "record-appointment"),
        {
            "kind": "site_visit",
            "on-day": visit_day.day,
            "on-month": visit_day.month,
            "on-year": visit_day.year,
            "with_whom": "The nominated individual",
        },
    )
    assert recorded.status_code == 302
    assert Appointment.objects.filter(application=application).count() == 1
    page = client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    assert "Send your staffing plan &lt;b&gt;now&lt;/b&gt;" in page
    assert "Site visit on" in page

    assert (
        client.post(
            action_url(application, "grant"), {"reasons": "Meets the requirements."}
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.stage == Stage.DECIDED
    assert client.post(action_url(application, "take-effect")).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.EFFECTIVE
    provider = Provider.objects.get(roles__person__email="applicant@newcare.example")
    assert provider.roles.filter(role=RoleType.NOMINATED_INDIVIDUAL).exists()


def test_returning_needs_reasons_and_a_proposal_needs_its_conditions():
    application, applicant = sent_new_provider()
    client, _ = staff_client()
    empty = client.post(action_url(application, "return"), {"reasons": ""})
    assert "Enter why the application is being returned" in empty.content.decode()
    too_long = client.post(action_url(application, "return"), {"reasons": "x" * 10_001})
    assert "10,000 characters or fewer" in too_long.content.decode()
    client.post(action_url(application, "validate"))
    no_conditions = client.post(
        action_url(application, "serve-proposal"), {"kind": "conditions", "reasons": "Because."}
    )
    assert "Enter the conditions you propose" in no_conditions.content.decode()
    no_kind = client.post(action_url(application, "serve-proposal"), {"reasons": "Because."})
    assert "Select what you propose" in no_kind.content.decode()
    served = client.post(
        action_url(application, "serve-proposal"),
        {
            "kind": "conditions",
            "reasons": "Staffing is thin.",
            "conditions": "No more than 10 people",
        },
    )
    assert served.status_code == 302
    early = client.get(action_url(application, "representations-window-passed")).content.decode()
    assert "28 days" in early or "until" in early
    submission.make_representations(
        application_id=application.pk, user=applicant, body="We will hire two more carers."
    )
    assert (
        client.post(action_url(application, "adopt-proposal"), {"reasons": ""}).status_code == 302
    )
    application.refresh_from_db()
    assert application.stage == Stage.DECIDED
    page = client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    assert "We will hire two more carers." in page
    assert "Notice of decision" in page


def test_staff_pages_name_each_stage_in_the_regulators_words():
    application, applicant = sent_new_provider()
    client, _ = staff_client()
    detail_url = reverse("applications_staff:detail", args=[application.pk])
    page = client.get(detail_url).content.decode()
    assert "To validate" in page
    assert "Us to validate it or return it (by " in page
    assert client.post(action_url(application, "return"), {"reasons": "No DBS."}).status_code == 302
    page = client.get(detail_url).content.decode()
    assert "Returned to the applicant" in page
    assert "The applicant to correct it and send it again" in page
    assert "Returned to you" not in page
    listed = client.get(reverse("applications_staff:list")).content.decode()
    assert "Returned to the applicant" in listed
    assert "Returned to you" not in listed
    # The applicant still reads their own wording.
    own = helpers.signed_in(applicant)
    mine = own.get(reverse("applications:list")).content.decode()
    assert "Returned to you" in mine


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_assessor_pages_are_accessible_and_work_by_keyboard(page, live_server):
    from tests.support.browser import (
        assert_accessible,
        assert_keyboard_reaches_every_link,
        expect_heading,
        use_session_of,
    )

    application, _ = sent_new_provider()
    client, _ = staff_client()
    use_session_of(page, live_server, client)
    page.goto(reverse("applications_staff:list"))
    expect_heading(page, "Registration applications")
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    page.get_by_role("link", name=application.reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Validate the application").click()
    assert_accessible(page)
    page.get_by_role("button", name="Validate").click()
    page.wait_for_url(f"**{reverse('applications_staff:detail', args=[application.pk])}")
    page.get_by_role("link", name="Ask the applicant for information").click()
    assert_accessible(page)
    # Keyboard only: submit empty, read the error, fix it, send.
    page.get_by_role("button", name="Send the request").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("What information do you need?").focus()
    page.keyboard.type("Please send your recruitment policy.")
    page.get_by_role("button", name="Send the request").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('applications_staff:detail', args=[application.pk])}")
    assert "Request sent" in page.content()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.stage == Stage.AWAITING_APPLICANT


def test_staff_reach_the_applications_from_their_home_and_navigation():
    client, _ = staff_client()
    home = client.get(reverse("home:index")).content.decode()
    navigation = home[home.index('class="govuk-service-navigation') :]
    navigation = navigation[: navigation.index("</nav>")]
    assert f'href="{reverse("applications_staff:list")}"' in navigation
    assert "Registration applications" in home


def test_a_viewer_without_the_assessor_permission_sees_but_cannot_act(monkeypatch):
    from portal.home import sections
    from portal.staff_permissions import StaffPermission

    application, _ = sent_new_provider()
    client, _ = staff_client()
    only_view = frozenset({StaffPermission.VIEW_APPLICATIONS})
    monkeypatch.setattr(
        "portal.staff_permissions.staff_permissions_of", lambda _principal: only_view
    )
    monkeypatch.setattr(sections, "staff_permissions_of", lambda _principal: only_view)
    detail = client.get(reverse("applications_staff:detail", args=[application.pk]))
    assert detail.status_code == 200
    assert "Validate the application" not in detail.content.decode()
    assert client.post(action_url(application, "validate")).status_code == 403
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_assessors_granting_at_once_make_one_decision():
    from tests.support.concurrency import run_together

    application, _ = sent_new_provider()
    first, _ = staff_client()
    second, _ = staff_client()
    first.post(action_url(application, "validate"))
    outcomes = run_together(
        [
            lambda: first.post(action_url(application, "grant"), {"reasons": "One"}).status_code,
            lambda: second.post(action_url(application, "grant"), {"reasons": "Two"}).status_code,
        ]
    )
    assert sorted(outcomes) == [302, 409], outcomes
    assert StatusChange.objects.filter(subject_id=str(application.pk), action="grant").count() == 1


def test_representations_received_by_post_are_recorded_and_acknowledged():
    from portal.emails.models import OutboxMessage

    application, applicant = sent_new_provider()
    client, _ = staff_client()
    client.post(action_url(application, "validate"))
    early = client.get(action_url(application, "record-representations")).content.decode()
    assert "so you cannot do that now" in early
    client.post(action_url(application, "serve-proposal"), {"kind": "refuse", "reasons": "Unsafe."})
    empty = client.post(action_url(application, "record-representations"), {"body": " "})
    assert "Enter the representations as you received them" in empty.content.decode()
    letter = "Letter of 3 March: <we> will hire & train two night carers."
    recorded = client.post(action_url(application, "record-representations"), {"body": letter})
    assert recorded.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.CONSIDERING_REPRESENTATIONS
    message = ApplicationMessage.objects.get(application=application, kind="representations")
    assert message.body == letter
    acknowledged = OutboxMessage.objects.filter(to=applicant.email).order_by("-created_at").first()
    assert acknowledged is not None
    assert "We have your representations" in acknowledged.subject
    again = client.post(action_url(application, "record-representations"), {"body": letter})
    assert again.status_code == 409


def test_an_application_past_its_validation_date_is_marked_overdue():
    application, _ = sent_new_provider()
    Application.objects.filter(pk=application.pk).update(
        validation_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client, _ = staff_client()
    page = client.get(reverse("applications_staff:list")).content.decode()
    assert "Overdue" in page
